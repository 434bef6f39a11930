import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/wait-for.js';

type Err = { error: { code: string; message: string; details?: { fields?: Array<{ path: string }> } } };

t.test(
  'inventory CRUD: fields named on refusal, states, a live entry is its host’s app info, audited',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'dinkes@paserkab.go.id',
      owns: ['dinkes.paserkab.go.id'],
    });

    const typo = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'reported',
      nmae: 'x',
    });
    t.equal(typo.status, 400);
    t.equal((typo.body as Err).error.code, 'VALIDATION_FAILED');
    t.match((typo.body as Err).error.message, /\/nmae: unknown field/);
    const badState = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'gone',
      name: 'x',
    });
    t.match(
      (badState.body as Err).error.message,
      /\/state: expected one of reported, migrating, live, retired/,
    );
    const noUrl = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'reported',
      name: 'SIMPEG',
    });
    t.equal(noUrl.status, 400);
    t.match((noUrl.body as Err).error.message, /^\/url: /);
    const badUrl = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'reported',
      name: 'SIMPEG',
      url: 'ftp://old.example/',
    });
    t.match((badUrl.body as Err).error.message, /^\/url: only http and https/);
    const noAgency = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'nope',
      state: 'reported',
      name: 'SIMPEG',
      url: 'http://simpeg.example/',
    });
    t.match((noAgency.body as Err).error.message, /^\/agency: agency nope does not exist/);
    const badId = await gw.admin('PUT', '/v1/inventory/Bad_Id', {
      state: 'retired',
      name: 'x',
      agency: 'dinkes',
    });
    t.equal(badId.status, 400);

    const created = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'reported',
      name: 'SIMPEG Dinkes',
      description: 'Kepegawaian',
      category: 'Kepegawaian',
      contact: '0543-1',
      url: 'http://simpeg.dinkes.example/',
    });
    t.equal(created.status, 201);
    const moved = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'migrating',
      name: 'SIMPEG Dinkes',
      url: 'http://simpeg.dinkes.example/',
    });
    t.equal(moved.status, 200);
    t.equal((moved.body as { state: string }).state, 'migrating');

    // Live: one record, the host's app. Fields of the app are refused on the entry, the host must exist and be its agency's.
    const dup = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'live',
      host: 'simpeg.dinkes.paserkab.go.id',
      name: 'SIMPEG',
    });
    t.match((dup.body as Err).error.message, /^\/name: a live entry shows its host's app information/);
    const unregistered = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'live',
      host: 'simpeg.dinkes.paserkab.go.id',
    });
    t.match(
      (unregistered.body as Err).error.message,
      /^\/host: simpeg\.dinkes\.paserkab\.go\.id is not registered/,
    );
    await gw.admin('PUT', '/v1/hosts/simpeg.dinkes.paserkab.go.id', {
      ...simpleHost(backend.origin),
      agency: 'dinkes',
      app: { name: 'SIMPEG Kabupaten', contact: 'bkpsdm@paserkab.go.id', category: 'Kepegawaian' },
    });
    const live = await gw.admin('PUT', '/v1/inventory/simpeg', {
      agency: 'dinkes',
      state: 'live',
      host: 'simpeg.dinkes.paserkab.go.id',
    });
    t.equal(live.status, 200);
    t.match(live.body, {
      state: 'live',
      name: 'SIMPEG Kabupaten',
      contact: 'bkpsdm@paserkab.go.id',
      url: 'https://simpeg.dinkes.paserkab.go.id/',
      registered: true,
    });
    // The host's app changes, the entry shows the change: nothing is copied.
    await gw.admin('PATCH', '/v1/hosts/simpeg.dinkes.paserkab.go.id', { app: { name: 'SIMPEG Baru' } });
    const read = await gw.admin('GET', '/v1/inventory/simpeg');
    t.equal((read.body as { name: string }).name, 'SIMPEG Baru');

    await gw.admin('PUT', '/v1/inventory/arsip', { agency: 'dinkes', state: 'retired', name: 'Arsip lama' });
    const list = (await gw.admin('GET', '/v1/inventory')).body as {
      entries: Array<{ id: string; state: string }>;
    };
    t.same(
      list.entries.map((e) => [e.id, e.state]),
      [
        ['arsip', 'retired'],
        ['simpeg', 'live'],
      ],
    );
    t.equal((await gw.admin('DELETE', '/v1/inventory/arsip')).status, 204);
    t.equal((await gw.admin('GET', '/v1/inventory/arsip')).status, 404);

    const audit = (await gw.admin('GET', '/v1/audit?limit=50')).body as {
      entries: Array<{ action: string }>;
    };
    const actions = audit.entries.map((e) => e.action);
    t.ok(actions.includes('inventory.put'), 'writes are audited');
    t.ok(actions.includes('inventory.delete'));

    // Validated on read: a value written to the store by anyone else is checked before it is served.
    const raw = (doc: unknown) => gw.gateway.store.put('inventory', 'luar', JSON.stringify(doc));
    const ids = async () =>
      ((await gw.admin('GET', '/v1/inventory')).body as { entries: Array<{ id: string }> }).entries.map(
        (e) => e.id,
      );
    await raw({
      id: 'luar',
      agency: 'dinkes',
      state: 'retired',
      name: 'Luar',
      updatedAt: new Date().toISOString(),
    });
    t.ok(await waitFor('a valid stored entry is read', async () => (await ids()).includes('luar'), 5000));
    await raw({ id: 'luar', agency: 'dinkes', state: 'bogus', name: 'Luar', updatedAt: 'x' });
    t.ok(await waitFor('a corrupt one is dropped', async () => !(await ids()).includes('luar'), 5000));
  },
);
