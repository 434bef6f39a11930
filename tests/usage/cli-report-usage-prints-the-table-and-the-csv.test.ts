import t from 'tap';
import { gerbangCli } from '../helpers/cli.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { bytesOfGet, DINKES, thisMonth, twoAgencies, usageBackend } from './kit.js';

t.test('gerbang report usage prints the month as a table, and the CSV as is with --csv', async (t) => {
  const backend = await usageBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await twoAgencies(gw, backend.origin);
  await bytesOfGet(gw, DINKES, '/a');
  await gw.gateway.usage.flush();
  const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };

  const tableRun = await gerbangCli(['report', 'usage', '--month', thisMonth()], env);
  t.equal(tableRun.code, 0, tableRun.stderr);
  t.match(tableRun.stdout, new RegExp(`dinkes\\s+${DINKES.replaceAll('.', '\\.')}\\s+1\\s`));

  const csvRun = await gerbangCli(['report', 'usage', '--csv'], env);
  t.equal(csvRun.code, 0, csvRun.stderr);
  const lines = csvRun.stdout.split('\r\n');
  t.match(lines[0], /^month,agency,host,requests,/);
  t.match(lines[1], new RegExp(`^${thisMonth()},dinkes,${DINKES.replaceAll('.', '\\.')},1,`));

  const bad = await gerbangCli(['report', 'usage', '--month', '2026-13'], env);
  t.equal(bad.code, 1, 'an API refusal');
  t.match(bad.stderr, /INVALID_MONTH/);
});
