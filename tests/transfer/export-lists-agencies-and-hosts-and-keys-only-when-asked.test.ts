import t from 'tap';
import { parse } from 'yaml';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

const HOST = 'dinkes.paserkab.go.id';

t.test(
  'export: agencies, hosts (config ones marked), inventory, users, and certificates with keys only when asked',
  async (t) => {
    const gw = await startTestGateway({
      config: {
        hosts: [{ host: 'lama.paserkab.go.id', routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }] }],
      },
    });
    t.teardown(() => gw.stop());
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'dinkes@paserkab.go.id',
      owns: [HOST],
    });
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${HOST}`, { ...simpleHost('http://127.0.0.1:9'), agency: 'dinkes' }))
        .status,
      201,
    );
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);

    const json = await gw.admin('GET', '/v1/export');
    t.equal(json.status, 200);
    const doc = json.body as Record<string, unknown>;
    t.match(doc, {
      gerbang: 'configuration',
      version: 1,
      agencies: [{ id: 'dinkes', name: 'Dinas Kesehatan', owns: [HOST] }],
      inventory: [],
      users: [],
    });
    const hosts = doc.hosts as Array<Record<string, unknown>>;
    t.same(
      hosts.map((h) => [h.host, h.agency, h.managedBy]),
      [
        [HOST, 'dinkes', undefined],
        ['lama.paserkab.go.id', undefined, 'config'],
      ],
    );
    t.notOk('updatedAt' in (hosts[0] as object), 'no timestamps: an export imports back as unchanged');
    t.notOk('certificates' in doc, 'no certificates unless asked');
    t.notOk(JSON.stringify(doc).includes('PRIVATE KEY'));

    const yamlRes = await fetch(`${gw.adminUrl}/v1/export?format=yaml`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    t.match(yamlRes.headers.get('content-type'), /application\/yaml/);
    const { exportedAt: _a, ...fromYaml } = parse(await yamlRes.text()) as Record<string, unknown>;
    const { exportedAt: _b, ...fromJson } = doc;
    t.same(fromYaml, fromJson, 'YAML carries the same document');
    const byAccept = await fetch(`${gw.adminUrl}/v1/export`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', accept: 'application/yaml' },
    });
    t.match(byAccept.headers.get('content-type'), /application\/yaml/, 'Accept chooses YAML too');
    t.equal((await gw.admin('GET', '/v1/export?format=xml')).status, 400, 'an unknown format is a 400');

    const withKeys = await gw.admin('GET', '/v1/export?certificates=true');
    t.equal(withKeys.status, 200);
    const certs = (withKeys.body as { certificates: Array<Record<string, string>> }).certificates;
    t.equal(certs.length, 1);
    t.equal(certs[0]?.host, HOST);
    t.match(certs[0]?.key, /BEGIN PRIVATE KEY/, 'the private key is in it when asked');
    const audit = await gw.admin('GET', '/v1/audit?limit=5');
    const entry = (audit.body as { entries: Array<Record<string, unknown>> }).entries.find(
      (e) => e.action === 'config.export',
    );
    t.ok(entry, 'an export with keys is audited');
    t.notOk(JSON.stringify(audit.body).includes('PRIVATE KEY'), 'the audit entry names hosts, never keys');

    const token = await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 'test' });
    const secret = (token.body as { secret: string }).secret;
    const agencyRes = await gw.admin('GET', '/v1/export?certificates=true', undefined, secret);
    t.equal(agencyRes.status, 403, 'keys are for admins only');
    const own = await gw.admin('GET', '/v1/export', undefined, secret);
    t.same(
      (own.body as { hosts: Array<{ host: string }> }).hosts.map((h) => h.host),
      [HOST],
      'an agency exports its own hosts',
    );
    t.same((own.body as { agencies: unknown[] }).agencies, []);
  },
);
