// Is a host port already taken on this machine? A listen probe answers the question the way
// Docker will meet it when it publishes the port on all interfaces.
import * as net from 'node:net';

/** Resolves true when something on this machine already listens on the port. */
export function isPortInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE' || e.code === 'EACCES'));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** One warning per port in use, e.g. "Port 3000 (dagster) is already in use on this machine." */
export async function checkPortsInUse(ports: Readonly<Record<string, number>>): Promise<string[]> {
  const entries = Object.entries(ports);
  const inUse = await Promise.all(entries.map(([, port]) => isPortInUse(port)));
  return entries
    .filter((_, i) => inUse[i])
    .map(([service, port]) => `Port ${port} (${service}) is already in use on this machine; choose another or stop what uses it.`);
}
