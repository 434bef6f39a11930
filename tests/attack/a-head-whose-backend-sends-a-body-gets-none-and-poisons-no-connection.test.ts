import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import t from 'tap';
import { attackSize, backToBaseline, openFds } from '../helpers/attack.js';
import { startTestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/http.js';
import { uncachedHost } from '../helpers/proxied-host.js';

const HOST = 'kepala.paserkab.go.id';
const H = `Host: ${HOST}\r\n`;
const ROUNDS = attackSize(10, 200);

/**
 * A broken legacy server: it answers every request, HEAD included, with a body (`body of <request line>`), so the
 * bytes after a HEAD's head would be read as the start of the next response on a connection that is reused.
 */
async function bodyOnHeadBackend(): Promise<{
  port: number;
  lines: string[];
  open(): number;
  stop(): void;
}> {
  const sockets = new Set<Socket>();
  const lines: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Closes a connection that brings nothing, as a keep-alive timeout does.
    socket.setTimeout(500, () => socket.destroy());
    let buffered = '';
    socket.on('data', (data: Buffer) => {
      buffered += data.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const line = buffered.slice(0, buffered.indexOf('\r\n'));
        buffered = buffered.slice(end + 4);
        lines.push(line);
        const body = `body of ${line}`;
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    lines,
    open: () => sockets.size,
    stop: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

// HEAD is bodyless, the route has no cache: the raw proxied front takes it (proxied-front.ts).
t.test(
  'a HEAD whose backend sends a body gets none, and the bytes poison neither the client nor the backend connection',
  async (t) => {
    const backend = await bodyOnHeadBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      backend.stop();
    });
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, uncachedHost(`http://127.0.0.1:${backend.port}`));
    t.equal(put.status, 201, 'the host is registered');
    const port = gw.gateway.ports.http;
    const fds = openFds();

    let clean = 0;
    let failures = '';
    for (let i = 0; i < ROUNDS; i++) {
      // One after another: the pool reuses a backend connection whenever it is still good to reuse.
      const head = await rawRequest(port, `HEAD /kepala/${i} HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
      const get = await rawRequest(port, `GET /isi/${i} HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
      const headOk = /^HTTP\/1\.1 200 [\s\S]*\r\ncontent-length: \d+\r\n[\s\S]*\r\n\r\n$/i.test(head);
      const getOk = /^HTTP\/1\.1 200 [\s\S]*\r\n\r\nbody of GET \/isi\/\d+ HTTP\/1\.1$/.test(get);
      if (headOk && getOk) clean++;
      else if (failures === '') failures = `round ${i}: ${JSON.stringify(head)} then ${JSON.stringify(get)}`;
    }
    t.equal(clean, ROUNDS, failures || 'each HEAD got a head only, each GET after it its own body');
    t.equal(
      backend.lines.filter((line) => /^HEAD \/kepala\/\d+ HTTP\/1\.1$/.test(line)).length,
      ROUNDS,
      'the backend was asked HEAD, not GET',
    );

    // And pipelined on one client connection: the HEAD's stray bytes are not the GET's answer.
    const pipelined = await rawRequest(
      port,
      `HEAD /kepala HTTP/1.1\r\n${H}\r\nGET /sesudah HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
    );
    t.match(
      pipelined,
      /^HTTP\/1\.1 200 [\s\S]*?\r\n\r\nHTTP\/1\.1 200 [\s\S]*\r\n\r\nbody of GET \/sesudah HTTP\/1\.1$/,
      'pipelined: the HEAD answered without a body, then the GET with its own',
    );
    await backToBaseline(t, 'backend connections', backend.open, 0, 0, 3_000);
    await backToBaseline(t, 'open file descriptors', openFds, fds, 4, 3_000);
  },
);
