import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { gerbangCli } from '../helpers/cli.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

const HOST = 'dinkes.paserkab.go.id';

t.test('gerbang certs upload, certs ls and certs renew drive the certificate endpoints', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
  const ca = await createTestCa();
  const leaf = await ca.issue([HOST]);
  const cert = join(gw.stateDir, 'chain.pem');
  const key = join(gw.stateDir, 'key.pem');
  await writeFile(cert, leaf.certificate + ca.certificate);
  await writeFile(key, leaf.key);

  const upload = await gerbangCli(['certs', 'upload', HOST, '--cert', cert, '--key', key], env);
  t.equal(upload.code, 0, upload.stderr);
  t.equal(upload.stdout, `uploaded the certificate of ${HOST}\n`);

  const ls = await gerbangCli(['certs', 'ls'], env);
  t.equal(ls.code, 0, ls.stderr);
  t.match(ls.stdout, /^HOST\s+SOURCE\s+NAMES\s+ISSUER\s+NOTAFTER/m);
  t.match(
    ls.stdout,
    new RegExp(`${HOST.replace(/\./g, '\\.')}\\s+uploaded\\s+${HOST.replace(/\./g, '\\.')}`),
  );

  const missingKey = await gerbangCli(['certs', 'upload', HOST, '--cert', cert], env);
  t.equal(missingKey.code, 2);
  t.match(missingKey.stderr, /certs upload needs --key <file\.pem>/);

  // ACME is off in this gateway: the API's refusal is what the CLI reports.
  const renew = await gerbangCli(['certs', 'renew', HOST], env);
  t.equal(renew.code, 1);
  t.match(renew.stderr, /^gerbang: [A-Z_]+: /);
});
