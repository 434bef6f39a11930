import t from 'tap';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { bytesOfGet, DINKES, DISDIK, thisMonth, twoAgencies, usageBackend } from './kit.js';

/** RFC 4180 fields: quoted ones may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

async function csvOf(adminUrl: string, query: string, token: string, accept?: string) {
  const res = await fetch(`${adminUrl}/v1/reports/usage${query}`, {
    headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) },
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

t.test(
  'the CSV has a header and one row per agency and host; an agency token sees only its own',
  async (t) => {
    const backend = await usageBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await twoAgencies(gw, backend.origin);
    await bytesOfGet(gw, DINKES, '/a');
    await bytesOfGet(gw, DISDIK, '/b');
    await bytesOfGet(gw, DISDIK, '/c');
    await gw.gateway.usage.flush();

    const all = await csvOf(gw.adminUrl, `?month=${thisMonth()}`, TEST_ADMIN_TOKEN, 'text/csv');
    t.equal(all.status, 200);
    t.match(all.type, /^text\/csv/);
    t.ok(all.text.endsWith('\r\n'), 'CRLF line ends');
    const rows = parseCsv(all.text);
    const header = rows[0] ?? [];
    t.same(header.slice(0, 4), ['month', 'agency', 'host', 'requests']);
    t.equal(rows.length, 3, 'header and two rows');
    const byHost = new Map(rows.slice(1).map((r) => [r[header.indexOf('host')], r]));
    t.equal(byHost.get(DISDIK)?.[header.indexOf('requests')], '2');
    t.equal(byHost.get(DINKES)?.[header.indexOf('agency')], 'dinkes');
    for (const row of rows) t.equal(row.length, header.length, 'every row has every column');

    const token = (await gw.admin('POST', '/v1/tokens', { scope: 'agency:disdik', note: 'budget' })).body as {
      secret: string;
    };
    const own = parseCsv((await csvOf(gw.adminUrl, `?month=${thisMonth()}&format=csv`, token.secret)).text);
    t.same(
      own.slice(1).map((r) => r[header.indexOf('host')]),
      [DISDIK],
      'the agency sees its own host only',
    );
    const json = await gw.admin('GET', '/v1/reports/usage', undefined, token.secret);
    t.same(
      (json.body as { agencies: Array<{ agency: string }> }).agencies.map((a) => a.agency),
      ['disdik'],
      'in JSON too',
    );
    const other = await gw.admin('GET', '/v1/reports/usage?agency=dinkes', undefined, token.secret);
    t.equal(other.status, 403, 'asking for another agency is refused');
  },
);
