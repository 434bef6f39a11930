import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/http.js';
import { startInterimBackend } from '../helpers/interim-backend.js';

const HOST = 'hints.paserkab.go.id';

t.test(
  "a backend's 103 Early Hints reach the client with their Link fields only, then the 200",
  async (t) => {
    const backend = await startInterimBackend(
      [
        'HTTP/1.1 103 Early Hints\r\n' +
          'Link: </style.css>; rel=preload; as=style, </app.js>; rel=preload; as=script\r\n' +
          'Link: <https://cdn.paserkab.go.id>; rel=preconnect\r\n' +
          'X-Backend-Secret: internal\r\n' +
          'Set-Cookie: hinted=1\r\n\r\n',
      ],
      ['Content-Type: text/html', 'Link: </style.css>; rel=preload; as=style'],
      'ok',
    );
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const put = await gw.admin(
      'PUT',
      `/v1/hosts/${HOST}`,
      simpleHost(backend.origin, { cache: { enabled: false } }),
    );
    t.equal(put.status, 201, 'host registered');

    const text = await rawRequest(
      Number(new URL(gw.url).port),
      `GET /page HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`,
    );
    const hintsAt = text.indexOf('HTTP/1.1 103');
    const finalAt = text.indexOf('HTTP/1.1 200');
    t.ok(hintsAt === 0, 'the 103 comes first');
    t.ok(finalAt > hintsAt, 'the 200 follows it');
    const hints = text.slice(hintsAt, finalAt).toLowerCase();
    t.match(hints, /<\/style\.css>; rel=preload; as=style/, 'first link-value passed on');
    t.match(hints, /<\/app\.js>; rel=preload; as=script/, 'second link-value of the same line passed on');
    t.match(hints, /<https:\/\/cdn\.paserkab\.go\.id>; rel=preconnect/, 'second Link line passed on');
    t.notMatch(hints, /x-backend-secret/, 'other fields of the 103 are dropped');
    t.notMatch(hints, /set-cookie/, 'a cookie in a 103 is dropped');
    t.match(text.slice(finalAt), /\r\n\r\nok$/, 'the final response and its body follow');
  },
);
