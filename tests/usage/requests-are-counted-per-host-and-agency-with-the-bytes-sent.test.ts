import t from 'tap';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway } from '../helpers/gateway.js';

const DEAD = 'mati.paserkab.go.id';

import {
  bytesOfGet,
  DINKES,
  DISDIK,
  rowOf,
  thisMonth,
  twoAgencies,
  usageBackend,
  usageReport,
} from './kit.js';

t.test(
  'requests are counted per host and agency with the bytes sent, errors and upstream time',
  async (t) => {
    const backend = await usageBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await twoAgencies(gw, backend.origin);

    let dinkesBytes = 0;
    for (const path of ['/a', '/b', '/c', '/error']) dinkesBytes += await bytesOfGet(gw, DINKES, path);
    // A host of no agency whose backend is gone: an upstream failure and a 5xx.
    const dead = `http://127.0.0.1:${await freePort()}`;
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${DEAD}`, { routes: [{ path: '/', targets: [dead] }] })).status,
      201,
    );
    await bytesOfGet(gw, DEAD, '/');
    let disdikBytes = 0;
    for (const path of ['/x', '/y']) disdikBytes += await bytesOfGet(gw, DISDIK, path);
    await gw.gateway.usage.flush();

    const report = await usageReport(gw, `?month=${thisMonth()}`);
    t.equal(report.month, thisMonth());
    const dinkes = rowOf(report, DINKES);
    const disdik = rowOf(report, DISDIK);
    t.match(dinkes, { agency: 'dinkes', requests: 4, bytesSent: dinkesBytes, errors5xx: 1, cacheHits: 0 });
    t.match(disdik, { agency: 'disdik', requests: 2, bytesSent: disdikBytes, errors5xx: 0 });
    t.ok(
      dinkes !== undefined && dinkes.p95UpstreamMs !== null && dinkes.p95UpstreamMs > 0,
      'a p95 upstream time',
    );
    t.same(
      dinkes?.days.map((d) => [d.day, d.requests]),
      [[new Date().toISOString().slice(0, 10), 4]],
      'one record for today',
    );
    t.match(report.agencies, [
      { agency: '', requests: 1 },
      { agency: 'dinkes', requests: 4, bytesSent: dinkesBytes },
      { agency: 'disdik', requests: 2, bytesSent: disdikBytes },
    ]);
    const gone = rowOf(report, DEAD);
    t.match(gone, { agency: '', requests: 1, errors5xx: 1 });
    t.ok(
      (gone?.upstreamFailures ?? 0) >= 1,
      `the refused connection is an upstream failure (${gone?.upstreamFailures})`,
    );
    await bytesOfGet(gw, 'nowhere.paserkab.go.id', '/');
    await gw.gateway.usage.flush();
    t.equal((await usageReport(gw)).hosts.length, 3, 'nothing counted for requests to unknown hosts');
  },
);
