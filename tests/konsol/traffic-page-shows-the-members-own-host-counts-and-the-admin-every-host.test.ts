import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { bytesOfGet, DINKES, DISDIK, twoAgencies, usageBackend } from '../usage/kit.js';
import { ADMIN_PASSWORD, MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

/** The figures of a host's total row on a traffic page, read from the `<data value>` of each cell. */
function totalsOf(html: string, host: string): Record<string, number> | undefined {
  const at = html.indexOf(`data-traffic-host="${host}"`);
  if (at < 0) return undefined;
  const foot = html.slice(at).match(/<tfoot>(.*?)<\/tfoot>/s)?.[1] ?? '';
  const out: Record<string, number> = {};
  for (const [, field, value] of foot.matchAll(/data-field="(\w+)"><data value="([\d.]+)">/g))
    out[field as string] = Number(value);
  return out;
}

t.test(
  "Konsol's traffic page: an agency member sees their host's exact counts and not another's; the admin sees both",
  async (t) => {
    const backend = await usageBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await seedUsers(gw);
    await twoAgencies(gw, backend.origin);
    let dinkesBytes = 0;
    // Two pages the backend answers (one of them a 500), then one stored page asked twice: one miss, one hit.
    for (const path of ['/a', '/error', '/cached', '/cached'])
      dinkesBytes += await bytesOfGet(gw, DINKES, path);
    let disdikBytes = 0;
    for (const path of ['/b', '/c']) disdikBytes += await bytesOfGet(gw, DISDIK, path);
    await gw.gateway.usage.flush();

    const member = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    const page = await member.get('/konsol/lalu-lintas');
    t.equal(page.status, 200);
    t.match(page.text, /<h1>Lalu lintas layanan<\/h1>/, 'Indonesian first');
    t.match(page.text, /href="\/konsol\/lalu-lintas\?lang=id"/, 'linked from the navigation');
    t.same(
      totalsOf(page.text, DINKES),
      { requests: 4, errors5xx: 1, upstreamFailures: 0, bytesSent: dinkesBytes, cacheHitRatio: 0.25 },
      'their host: requests, errors, bytes and hit ratio exactly',
    );
    t.notMatch(page.text, /disdik/, "another agency's host is not on the page");
    t.match(page.text, /<svg role="img"[^>]*>.*<rect /s, 'with a bar chart drawn on the server');
    t.match(
      page.text,
      /<div class="scroll" tabindex="0" role="region"[^>]*><table class="traffic">/,
      'the table scrolls inside its wrapper',
    );
    const english = await member.get('/konsol/lalu-lintas?lang=en&hours=6');
    t.match(english.text, /<h1>Service traffic<\/h1>/, 'English with ?lang=en');
    t.match(english.text, /<option value="6" selected>last 6 hours<\/option>/);
    t.equal(
      (await member.get('/konsol/lalu-lintas?hours=99')).status,
      400,
      'a range beyond the kept hours: 400',
    );

    const hostPage = await member.get(`/konsol/hosts/${DINKES}`);
    t.equal(totalsOf(hostPage.text, DINKES)?.requests, 4, "the host's page has the same figures");

    const admin = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    const all = await admin.get('/konsol/lalu-lintas');
    t.match(totalsOf(all.text, DINKES), { requests: 4, bytesSent: dinkesBytes });
    t.same(
      totalsOf(all.text, DISDIK),
      { requests: 2, errors5xx: 0, upstreamFailures: 0, bytesSent: disdikBytes, cacheHitRatio: 0 },
      'the admin sees the other agency too',
    );
  },
);
