import bcrypt from 'bcryptjs';
import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'simpeg.paserkab.go.id';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test(
  'each failure from one address is answered later than the one before; another address is not slowed',
  async (t) => {
    const { gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        // A cheap bcrypt (cost 4): what is measured is the delay, not the hash on a busy machine.
        access: { basicAuth: { htpasswd: `operator:${bcrypt.hashSync('kata sandi benar', 4)}\n` } },
      }),
    });
    t.equal(put.status, 201);
    const port = gw.gateway.ports.http;
    const timed = async (localAddress: string, password: string): Promise<[number, number]> => {
      const started = performance.now();
      const res = await rawTargetGet(port, HOST, '/', {
        localAddress,
        headers: { authorization: basic('operator', password) },
      });
      return [res.status, performance.now() - started];
    };
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [status, ms] = await timed('127.0.0.1', `tebakan ${i}`);
      t.equal(status, 401);
      times.push(ms);
    }
    // 200, 400, 800, 1600 ms of delay (BASIC_AUTH_FAILURE_BASE_DELAY_MS doubling).
    const shown = times.map(Math.round).join(', ');
    t.ok((times[0] ?? 0) >= 180, `first failure delayed: ${shown} ms`);
    t.ok((times[3] ?? 0) >= 1_550, `the fourth after 1.6 s: ${shown} ms`);
    t.ok((times[3] ?? 0) >= (times[0] ?? 0) + 1_200, `the fourth 1.4 s later than the first: ${shown} ms`);
    t.ok((times[3] ?? 0) > (times[2] ?? 0) && (times[2] ?? 0) > (times[1] ?? 0), `growing: ${shown} ms`);
    const [status, ms] = await timed('127.0.0.2', 'kata sandi benar');
    t.equal(status, 200, 'another address with the right password passes');
    t.ok(ms < (times[3] ?? 0) - 1_000, `without the first address's delay: ${Math.round(ms)} ms`);
  },
);
