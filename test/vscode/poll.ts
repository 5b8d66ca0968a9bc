/** Polls until probe() returns a value, or gives undefined after timeoutMs (for UI state the API announces with no event). */
export async function poll<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
