/** GET /v1/defacement: an agency token lists its own hosts' findings only and is refused another agency's host (403 HOST_NOT_OWNED); an admin sees all. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';
import { DINKES, DISDIK, twoAgencies } from '../usage/kit.js';

const injected = readFileSync(new URL('../fixtures/defacement/injected-gambling.html', import.meta.url));

interface Listing {
  hosts: Array<{ host: string; agency?: string; findings: Array<{ rule: string; url: string }> }>;
}

t.test('an agency sees its own findings only', async (t) => {
  const backend = await startBackend((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600' });
    res.end(injected);
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await twoAgencies(gw, backend.origin);
  for (const host of [DINKES, DISDIK]) t.equal((await http(`${gw.url}/`, { host })).status, 200);
  const all = await waitFor(
    'both hosts listed',
    async () => {
      const body = (await gw.admin('GET', '/v1/defacement')).body as Listing;
      return body.hosts.length === 2 && body.hosts.every((h) => h.findings.length >= 4) ? body : undefined;
    },
    10_000,
    20,
  );
  t.same(
    all.hosts.map((h) => [h.host, h.agency]),
    [
      [DINKES, 'dinkes'],
      [DISDIK, 'disdik'],
    ],
    'an admin sees both',
  );

  const token = (await gw.admin('POST', '/v1/tokens', { scope: 'agency:disdik', note: 'defacement' }))
    .body as {
    secret: string;
  };
  const own = (await gw.admin('GET', '/v1/defacement', undefined, token.secret)).body as Listing;
  t.same(
    own.hosts.map((h) => h.host),
    [DISDIK],
    'the agency lists its own host only',
  );
  const mine = await gw.admin('GET', `/v1/defacement?host=${DISDIK}`, undefined, token.secret);
  t.equal(mine.status, 200);
  t.equal((mine.body as Listing).hosts[0]?.findings[0]?.url.startsWith(`${DISDIK}/`), true, 'with the URL');
  const other = await gw.admin('GET', `/v1/defacement?host=${DINKES}`, undefined, token.secret);
  t.equal(other.status, 403, "another agency's host is refused");
  t.equal((other.body as { error: { code: string } }).error.code, 'HOST_NOT_OWNED');
  t.notMatch(JSON.stringify(other.body), /gambling/, 'and none of its findings are shown');
  const junk = await gw.admin('GET', '/v1/defacement?host=bukan%20nama', undefined, token.secret);
  t.equal(junk.status, 400, 'a host that is no name is refused');
});
