/** Cluster: how the requests of one measured run were shared among Gerbang's workers, counted from the access log's `pid` field. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface WorkerShare {
  /** Access-log lines of the run, by worker pid. */
  byPid: Record<string, number>;
  total: number;
  /** The largest distance of a worker's count from an even split, as a fraction of it (0.04 = 4 %). */
  spread: number;
}

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  const end = fileSize(file);
  if (end <= offset) return '';
  const buffer = Buffer.alloc(end - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/** Counts the access-log lines written after `offset`, by pid, over `workers` expected workers. */
export function workerShare(file: string, offset: number, workers: number): WorkerShare {
  const byPid: Record<string, number> = {};
  let total = 0;
  for (const line of readFrom(file, offset).split('\n')) {
    // Cheap filter first: a run has tens of thousands of lines.
    if (!line.includes('"log":"access"')) continue;
    const pid = /"pid":(\d+)/.exec(line)?.[1];
    if (pid === undefined) continue;
    byPid[pid] = (byPid[pid] ?? 0) + 1;
    total++;
  }
  const even = total / workers;
  const counts = Object.values(byPid);
  // A worker that served nothing is missing from byPid: count it as 0.
  while (counts.length < workers) counts.push(0);
  const spread = even === 0 ? 1 : Math.max(...counts.map((n) => Math.abs(n - even) / even));
  return { byPid, total, spread: Math.round(spread * 1000) / 1000 };
}
