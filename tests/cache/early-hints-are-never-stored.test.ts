import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http, rawRequest } from '../helpers/http.js';
import { startInterimBackend } from '../helpers/interim-backend.js';

const HOST = 'hinted.paserkab.go.id';

t.test(
  'a 103 goes to the client of a miss, leaves no trace in the stored entry, and a hit sends none',
  async (t) => {
    const backend = await startInterimBackend(
      ['HTTP/1.1 103 Early Hints\r\nLink: </hinted.css>; rel=preload; as=style\r\nX-Hinted: 1\r\n\r\n'],
      ['Content-Type: text/html', 'Cache-Control: max-age=600'],
      'page',
    );
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    t.equal(put.status, 201, 'host registered');
    const port = Number(new URL(gw.url).port);
    const request = `GET /page HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`;

    const miss = await rawRequest(port, request);
    t.ok(miss.startsWith('HTTP/1.1 103'), 'the miss passes the 103 on');
    t.match(miss, /cache-status: [^\r]*stored/i, 'the miss was stored');

    const hit = await rawRequest(port, request);
    t.equal(backend.requests.length, 1, 'the second request is a hit');
    t.ok(hit.startsWith('HTTP/1.1 200'), 'a hit sends no 103');
    t.notMatch(hit, /hinted\.css/i, "the hit carries nothing of the 103's Link");
    t.notMatch(hit, /x-hinted/i, 'nor any other field of the 103');

    const viaClient = await http(`${gw.url}/page`, { host: HOST });
    t.equal(viaClient.status, 200);
    t.equal(viaClient.headers.link, undefined, 'the stored entry has no Link from the 103');
    t.equal(viaClient.body, 'page');
  },
);
