import bcrypt from 'bcryptjs';
import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'portal-lama.paserkab.go.id';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test(
  'an htpasswd of bcrypt lines admits its users; APR1-MD5 and SHA1 lines are refused naming the line',
  async (t) => {
    // htpasswd -B writes $2y$; a legacy PHP portal may hold $2a$ or $2b$.
    const budi = bcrypt.hashSync('budi-sandi', 5).replace(/^\$2b\$/, '$2y$');
    const sari = bcrypt.hashSync('sari-sandi', 5);
    const htpasswd = `# exported from the old portal\nbudi:${budi}\n\nsari:${sari}\n`;
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({ ...simpleHost(origin), access: { basicAuth: { htpasswd } } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    t.match(put.body, {
      access: {
        basicAuth: {
          users: [
            { name: 'budi', hash: budi },
            { name: 'sari', hash: sari },
          ],
        },
      },
    });
    t.notMatch(JSON.stringify(put.body), /htpasswd/, 'the file is not stored, its hashes are');
    const port = gw.gateway.ports.http;
    t.equal(
      (await rawTargetGet(port, HOST, '/', { headers: { authorization: basic('budi', 'budi-sandi') } }))
        .status,
      200,
    );
    t.equal(
      (await rawTargetGet(port, HOST, '/', { headers: { authorization: basic('sari', 'sari-sandi') } }))
        .status,
      200,
    );
    t.equal(
      (await rawTargetGet(port, HOST, '/', { headers: { authorization: basic('sari', 'budi-sandi') } }))
        .status,
      401,
    );
    t.equal(backend.seen.length, 2);

    for (const [line, why] of [
      ['lama:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/', /APR1-MD5/],
      ['lama:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', /SHA1/],
      ['lama:rl0uYbmXWQ3xs', /crypt/],
    ] as const) {
      const res = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
        ...simpleHost(backend.origin),
        access: { basicAuth: { htpasswd: `budi:${budi}\n${line}\n` } },
      });
      t.equal(res.status, 400, line);
      t.match(res.body, {
        error: { code: 'VALIDATION_FAILED', message: /^\/access\/basicAuth\/htpasswd: line 2 \(lama\)/ },
      });
      t.match((res.body as { error: { message: string } }).error.message, why);
    }
  },
);
