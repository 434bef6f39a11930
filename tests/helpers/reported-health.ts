/** What Gerbang tells about one single-target host, read the three ways operators and citizens read it: /v1/status, gerbang_target_up and the public directory. */
import type { TestGateway } from './gateway.js';
import { http } from './http.js';
import { metricValue } from './wait-for.js';

export interface ReportedHealth {
  /** /v1/status: the host's status, and its first target's up, condition and since. */
  hostStatus: string;
  up: boolean;
  condition: string;
  since: string;
  /** gerbang_target_up{host} (summed over the host's targets). */
  gauge: number;
  /** The host's status in /layanan.json, and the directory's count of services up. */
  directory: string | undefined;
  directoryUp: number;
}

interface StatusBody {
  hosts: Array<{
    status: string;
    routes: Array<{ targets: Array<{ up: boolean; condition: string; since: string }> }>;
  }>;
}

interface DirectoryBody {
  up: number;
  agencies: Array<{ services: Array<{ host: string; status: string }> }>;
}

export async function reportedHealth(gw: TestGateway, host: string): Promise<ReportedHealth> {
  const status = await gw.admin('GET', `/v1/status?host=${host}`);
  if (status.status !== 200) throw new Error(`GET /v1/status answered ${status.status}`);
  const entry = (status.body as StatusBody).hosts[0];
  const target = entry?.routes[0]?.targets[0];
  if (entry === undefined || target === undefined) throw new Error(`no status for ${host}`);
  const directory = await http(`${gw.url}/layanan.json?q=${encodeURIComponent(host)}`, {
    host: 'layanan.paserkab.go.id',
  });
  const listed = JSON.parse(directory.body) as DirectoryBody;
  const service = listed.agencies.flatMap((a) => a.services).find((s) => s.host === host);
  return {
    hostStatus: entry.status,
    up: target.up,
    condition: target.condition,
    since: target.since,
    gauge: await metricValue(gw.adminUrl, 'gerbang_target_up', { host }),
    directory: service?.status,
    directoryUp: listed.up,
  };
}

/** Whether every view says the host is down. */
export function allDown(r: ReportedHealth): boolean {
  return r.hostStatus === 'down' && !r.up && r.gauge === 0 && r.directory === 'down';
}

/** Whether every view says the host is up. */
export function allUp(r: ReportedHealth): boolean {
  return r.hostStatus === 'up' && r.up && r.gauge === 1 && r.directory === 'up';
}
