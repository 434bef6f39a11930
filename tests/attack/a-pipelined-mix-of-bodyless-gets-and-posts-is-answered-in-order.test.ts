import t from 'tap';
import { attackSize, backToBaseline, openFds } from '../helpers/attack.js';
import { rawRequest } from '../helpers/http.js';
import { proxiedHost, uncachedHost } from '../helpers/proxied-host.js';
import { metricValue } from '../helpers/wait-for.js';

const HOST = 'campur.paserkab.go.id';
const REQUESTS = attackSize(60, 1_000);

/** The status and body of each response in `raw`, in the order they came (each framed by its Content-Length). */
function answersOf(raw: string): Array<{ status: string; body: string }> {
  const answers: Array<{ status: string; body: string }> = [];
  let at = 0;
  while (at < raw.length) {
    const end = raw.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const length = /\r\ncontent-length: (\d+)/i.exec(raw.slice(at, end));
    const size = Number(length?.[1] ?? 0);
    answers.push({ status: raw.slice(at, at + 12), body: raw.slice(end + 4, end + 4 + size) });
    at = end + 4 + size;
  }
  return answers;
}

// The GETs are bodyless on a route without cache: the raw proxied front takes them; every third request is a POST
// with a body, which goes through fastify. Node writes the answers of one connection in request order, whichever
// path produced them and whichever backend answer came first.
t.test(
  'a pipelined mix of bodyless GETs and POSTs with a body is answered in order, none lost',
  async (t) => {
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => {
          body += chunk;
        });
        req.on('end', () => {
          const n = Number(/\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
          const answer = `${req.method} ${req.url} ${body}`;
          // Earlier requests answered later: the backend's order is not the client's.
          setTimeout(() => res.end(answer), (REQUESTS - n) % 7);
        });
      },
      {
        gateway: { limits: { maxBackendRequestsPerClient: 10_000 } },
        hostDoc: uncachedHost,
      },
    );
    const fds = openFds();
    let text = '';
    const expected: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const last = i === REQUESTS - 1 ? 'Connection: close\r\n' : '';
      if (i % 3 === 2) {
        const body = `isian-${i}`;
        text += `POST /formulir/${i} HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: ${body.length}\r\n${last}\r\n${body}`;
        expected.push(`POST /formulir/${i} ${body}`);
      } else {
        text += `GET /halaman/${i} HTTP/1.1\r\nHost: ${HOST}\r\n${last}\r\n`;
        expected.push(`GET /halaman/${i} `);
      }
    }
    const raw = await rawRequest(gw.gateway.ports.http, text, 20_000);
    const answers = answersOf(raw);
    const bodies = answers.map((a) => a.body);
    t.equal(bodies.length, REQUESTS, `${bodies.length} answers for ${REQUESTS} requests`);
    const firstWrong = bodies.findIndex((body, i) => body !== expected[i]);
    t.equal(
      firstWrong,
      -1,
      firstWrong < 0 ? 'each answer in its request order' : `answer ${firstWrong}: ${bodies[firstWrong]}`,
    );
    t.ok(
      answers.every((a) => a.status === 'HTTP/1.1 200'),
      'every answer a 200',
    );
    t.equal(backend.seen.length, REQUESTS, 'the backend got each request once');
    await backToBaseline(
      t,
      'requests in flight',
      () => metricValue(gw.adminUrl, 'gerbang_requests_in_flight', { listener: 'http' }),
      0,
      0,
      3_000,
    );
    await backToBaseline(t, 'open file descriptors', openFds, fds, 6, 3_000);
  },
);
