import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('register, change and remove a host while requests flow: live at once, none dropped', async (t) => {
  const before = await startBackend(echoHandler('before'));
  const after = await startBackend(echoHandler('after'));
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await Promise.all([before.stop(), after.stop()]);
  });
  const host = 'dinkes.paserkab.go.id';
  t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(before.origin))).status, 201);
  t.equal(
    JSON.parse((await http(`${gw.url}/`, { host })).body).backend,
    'before',
    'live as soon as the API answered',
  );

  // Steady traffic on another registered host while this one is changed over and over.
  await gw.admin('PUT', '/v1/hosts/steady.paserkab.go.id', simpleHost(before.origin));
  let running = true;
  const failures: number[] = [];
  let served = 0;
  const load = (async () => {
    while (running) {
      const batch = await Promise.all(
        Array.from({ length: 8 }, () => http(`${gw.url}/`, { host: 'steady.paserkab.go.id' })),
      );
      for (const r of batch) r.status === 200 ? served++ : failures.push(r.status);
    }
  })();
  for (let i = 0; i < 30; i++) {
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(i % 2 ? before.origin : after.origin));
  }
  running = false;
  await load;
  t.same(failures, [], `no request failed while the route table changed 30 times (${served} served)`);

  t.equal(
    (await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(after.origin))).status,
    200,
    'a change is a 200',
  );
  t.equal(JSON.parse((await http(`${gw.url}/`, { host })).body).backend, 'after');
  t.equal((await gw.admin('GET', `/v1/hosts/${host}`)).status, 200);
  t.equal((await gw.admin('DELETE', `/v1/hosts/${host}`)).status, 204);
  t.equal((await http(`${gw.url}/`, { host })).status, 404, 'removed at once');
  t.equal((await gw.admin('DELETE', `/v1/hosts/${host}`)).status, 404, 'removing twice is a 404');
});
