// Bounded HTTP GETs for the UI and Cube checks: a timeout per request, the body capped, failures
// as values.
import { createHmac } from 'node:crypto';

export type HttpOutcome =
  | { ok: true; status: number; body: string; ms: number }
  | { ok: false; error: string; ms: number };

const MAX_BODY = 1_000_000;

/** Docker publishes on 127.0.0.1 and maybe not on ::1, which "localhost" may resolve to first. */
function requestUrl(url: string): string {
  const u = new URL(url);
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1';
  return u.toString();
}

export async function httpGet(
  url: string,
  options: { timeoutMs: number; signal?: AbortSignal; headers?: Record<string, string> },
): Promise<HttpOutcome> {
  const start = performance.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(requestUrl(url), { signal, headers: options.headers, redirect: 'manual' });
    const body = (await response.text()).slice(0, MAX_BODY);
    return { ok: true, status: response.status, body, ms: Math.round(performance.now() - start) };
  } catch (e) {
    const ms = Math.round(performance.now() - start);
    if (timeout.aborted) return { ok: false, error: `no answer within ${options.timeoutMs} ms`, ms };
    if (options.signal?.aborted) return { ok: false, error: 'cancelled', ms };
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    const code = (cause as { code?: unknown }).code;
    const message = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: typeof code === 'string' ? `${code}: ${message}` : message, ms };
  }
}

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** An HS256 JWT signed with Cube's API secret, as Cube's REST API expects in Authorization. */
export function cubeToken(secret: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat: nowSeconds, exp: nowSeconds + 300 }));
  const signature = createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url');
  return `${head}.${payload}.${signature}`;
}
