import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

const DAY = 86_400_000;
const WITA = 8 * 3_600_000;
const HOST = 'dinkes.paserkab.go.id';

t.test(
  'a service with recorded downtime shows its 90-day percentage and the down day on the directory',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      ...simpleHost(backend.origin),
      app: { name: 'Portal Dinkes' },
    });
    // The recorder writes the new host's first record itself; ours (ten days of history) replaces it after.
    await waitFor(
      'the recorder’s first record',
      async () => (await gw.gateway.store.get('uptime', HOST)) !== undefined,
      10_000,
    );
    await gw.gateway.uptime.settle();

    const now = Date.now();
    const today = Math.floor((now + WITA) / DAY) * DAY - WITA; // midnight WITA, the directory's zone
    const yesterday = today - DAY;
    // 2 h 24 min down yesterday: 90 % of that day, 1 % of the ten days recorded.
    const incident = {
      start: yesterday + 10 * 3_600_000,
      end: yesterday + 10 * 3_600_000 + 0.1 * DAY,
      cause: 'refused',
    };
    await gw.gateway.store.put(
      'uptime',
      HOST,
      JSON.stringify({
        v: 1,
        host: HOST,
        since: now - 10 * DAY,
        lastSeen: now,
        minutesFrom: now,
        minutes: '',
        hoursFrom: now,
        hours: '',
        incidents: [incident],
      }),
    );
    await gw.gateway.uptimeSummaries.refresh();

    const page = await http(`${gw.url}/`, { host: 'layanan.paserkab.go.id' });
    t.equal(page.status, 200);
    t.match(
      page.body,
      '99 % aktif dalam 90 hari terakhir, 1 hari dengan gangguan',
      'the percentage, as text',
    );
    const label = new Intl.DateTimeFormat('id-ID', {
      timeZone: 'Asia/Makassar',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(yesterday + DAY / 2);
    const down = [
      ...page.body.matchAll(/<rect x="(\d+)" width="(\d+)"[^>]*data-day="down"><title>([^<]*)<\/title>/g),
    ];
    t.equal(down.length, 1, 'one down day');
    t.equal(down[0]?.[1], '88', 'the day before today (of 90, oldest first)');
    t.equal(down[0]?.[2], '1');
    t.equal(down[0]?.[3], `${label}: 90 % aktif`, "the day's title gives its date and percentage");
    t.match(
      page.body,
      /data-day="none"><title>[^<]*: tidak tercatat<\/title>/,
      'days before the first record are marked unrecorded',
    );
    t.match(page.body, /role="img" aria-label="Ketersediaan: 99 % aktif/, 'the bar has a text alternative');

    const json = JSON.parse(
      (await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' })).body,
    ) as {
      agencies: Array<{
        services: Array<{ host: string; uptime?: { percent: number; days: Array<number | null> } }>;
      }>;
    };
    const svc = json.agencies.flatMap((a) => a.services).find((s) => s.host === HOST);
    t.equal(svc?.uptime?.percent, 99);
    t.equal(svc?.uptime?.days.length, 90);
    t.equal(svc?.uptime?.days[88], 90);
    t.equal(svc?.uptime?.days[89], 100, 'today up');
  },
);
