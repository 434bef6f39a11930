/** A tiny stand-in for an agency's legacy portal, for the demo: answers every path with a page naming itself. */
import { createServer, type Server } from 'node:http';

export function startLegacyPortal(name: string, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const body = `<!doctype html><title>${name}</title><h1>${name}</h1><p>${req.method} ${req.url}</p>
<p>Host: ${req.headers.host} · X-Forwarded-For: ${req.headers['x-forwarded-for']} · X-Request-Id: ${req.headers['x-request-id']}</p>\n`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=30' });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
