/** Peak resident memory of a process tree (a proxy and its workers), sampled from /proc while the load runs. */
import { readdirSync, readFileSync } from 'node:fs';

/** How often the tree's RSS is read during a measured run. */
export const RSS_SAMPLE_MS = 200;

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** `root` and every descendant of it (nginx's master + worker, Gerbang's primary + workers). */
export function processTree(root: number): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [root];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    const list = children.get(parent);
    if (list) list.push(pid);
    else children.set(parent, [pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** VmRSS of one process in KiB (0 when it is gone or /proc is not there). */
export function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Samples the summed RSS of a tree until stopped; `stop()` gives the largest sum seen, in KiB. */
export function samplePeakRss(root: number, intervalMs = RSS_SAMPLE_MS): { stop(): number } {
  let tree = processTree(root);
  let peak = 0;
  let ticks = 0;
  const sample = (): void => {
    // The tree is stable under load; re-read it now and then in case a worker was replaced.
    if (++ticks % 10 === 0) tree = processTree(root);
    peak = Math.max(
      peak,
      tree.reduce((sum, pid) => sum + rssKiB(pid), 0),
    );
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
