/** The demo's config: config/gerbang.yaml with the two demo portals as config hosts, on the ports they really got. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const DEMO_BASE_CONFIG = 'config/gerbang.yaml';

export interface DemoPorts {
  dinkes: number;
  disdik: number;
}

/** Writes `<stateDir>/demo.yaml` and returns its path: the demo's hosts never enter the file `npm start` reads. */
export async function writeDemoConfig(stateDir: string, ports: DemoPorts): Promise<string> {
  const base = (parse(readFileSync(DEMO_BASE_CONFIG, 'utf8')) ?? {}) as Record<string, unknown>;
  const config = {
    ...base,
    hosts: [
      {
        host: 'dinkes.paserkab.go.id',
        agency: 'dinkes',
        app: { name: 'Portal Dinas Kesehatan (demo)', owner: 'Dinas Kesehatan' },
        routes: [{ path: '/', targets: [`http://127.0.0.1:${ports.dinkes}`] }],
      },
      {
        host: 'disdik.paserkab.go.id',
        agency: 'disdik',
        app: { name: 'Portal Dinas Pendidikan (demo)', owner: 'Dinas Pendidikan' },
        routes: [
          { path: '/', targets: [`http://127.0.0.1:${ports.disdik}`] },
          { path: '/api', targets: [`http://127.0.0.1:${ports.dinkes}`], stripPrefix: true },
        ],
      },
    ],
  };
  const path = join(stateDir, 'demo.yaml');
  await writeFile(
    path,
    `# Written by \`npm run demo\` at every start; edit ${DEMO_BASE_CONFIG} instead.\n${stringify(config)}`,
  );
  return path;
}
