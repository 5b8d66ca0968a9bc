// A stand-in image registry on 127.0.0.1 for the tests of a registry that answers: no real one is
// reachable from these machines (the engine's pulls from Docker Hub end in "no such host"). It
// speaks the part of the Registry HTTP API V2 that a pull of a missing tag or a private image
// reaches, with the token authentication Docker Hub, ghcr.io and GitLab use: /v2/ asks for a
// Bearer token, /token gives an anonymous one, then a manifest under private/ is refused
// (401, insufficient scope) and any other manifest is unknown (404 MANIFEST_UNKNOWN). The engine
// treats 127.0.0.0/8 as an insecure registry, so it speaks plain HTTP to it.
import * as http from 'node:http';

export interface StandInRegistry {
  /** host:port, the registry part of an image reference (`${host}/private/app:1`). */
  host: string;
  /** The requests it answered, as "METHOD path". */
  requests: string[];
  close(): Promise<void>;
}

export function startStandInRegistry(): Promise<StandInRegistry> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const address = server.address();
    const realm = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/token`;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0', ...headers });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    };
    const unauthorized = (scope: string, error?: string, repository?: string): void =>
      send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: repository ? [{ Type: 'repository', Name: repository, Action: 'pull' }] : null }] }, {
        'WWW-Authenticate': `Bearer realm="${realm}",service="stand-in"${scope ? `,scope="${scope}"` : ''}${error ? `,error="${error}"` : ''}`,
      });
    if (url.startsWith('/token')) return send(200, { token: 'anonymous', access_token: 'anonymous', expires_in: 300 });
    if (url === '/v2/' || url === '/v2') return req.headers.authorization ? send(200, {}) : unauthorized('');
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url);
    if (manifest?.[1].startsWith('private/')) return unauthorized(`repository:${manifest[1]}:pull`, 'insufficient_scope', manifest[1]);
    // The distribution registry's answer (the detail names the tag).
    return send(404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: manifest ? { Tag: manifest[2] } : null }] });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address !== 'object') return reject(new Error('the stand-in registry has no port'));
      resolve({ host: `127.0.0.1:${address.port}`, requests, close: () => new Promise<void>((done) => {
          server.close(() => done());
          // The engine keeps its connection open: close it too, or close() waits for it.
          server.closeAllConnections();
        }) });
    });
  });
}
