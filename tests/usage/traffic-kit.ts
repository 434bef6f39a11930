/** The traffic tests' shared bits: GET /v1/reports/traffic as typed JSON (the figures as the report builds them). */
import type { TrafficFigures } from '../../src/control/usage/traffic-report.js';
import type { TestGateway } from '../helpers/gateway.js';

export interface TrafficBody {
  hours: number;
  from: string;
  hosts: Array<
    TrafficFigures & { agency: string; host: string; hours: Array<TrafficFigures & { hour: string }> }
  >;
}

/** GET /v1/reports/traffic (admin token unless `token`); throws unless 200. */
export async function trafficReport(gw: TestGateway, query = '', token?: string): Promise<TrafficBody> {
  const res = await gw.admin('GET', `/v1/reports/traffic${query}`, undefined, token);
  if (res.status !== 200) throw new Error(`traffic report: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TrafficBody;
}

/** `YYYY-MM-DDTHH:00:00Z` of the current UTC hour: the row a request counts into. */
export function thisHour(now = Date.now()): string {
  return `${new Date(now).toISOString().slice(0, 13)}:00:00Z`;
}
