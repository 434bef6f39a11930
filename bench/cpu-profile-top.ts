/** `node dist/bench/cpu-profile-top.js <file.cpuprofile> [N] [skip ms]`: the top self-time functions and packages of a V8 CPU profile (node --cpu-prof). */
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from './processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const DEFAULT_TOP = 25;
/** V8's pseudo-frames for time not spent in JavaScript or native code of the program. */
const IDLE = new Set(['(idle)']);

/** Where a frame's code lives: a package, Node's internals, Gerbang's own code, or V8 itself. */
function packageOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/')[0] ?? ''}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] ?? ''}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const local = url.replace(`file://${REPO_ROOT}/`, '');
  return local.startsWith('dist/src/') ? `gerbang:${local.slice('dist/src/'.length).split('/')[0]}` : local;
}

function where(node: ProfileNode): string {
  const { url, lineNumber } = node.callFrame;
  if (url === '') return '';
  const short = url.replace(`file://${REPO_ROOT}/`, '').replace(/^.*node_modules\//, '');
  return `${short}:${lineNumber + 1}`;
}

/** Self time by function (name + place) and by package, as fractions of the busy (non-idle) time, from `skipMs` on. */
function summarise(
  profile: CpuProfile,
  skipMs: number,
): {
  busyMs: number;
  idleMs: number;
  functions: { name: string; share: number; ms: number }[];
  packages: { name: string; share: number; ms: number }[];
  /** Gerbang's own functions (dist/src) with what they call: where its own features cost. */
  inclusive: { name: string; share: number; ms: number }[];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    // The delta before sample i+1 is the time sample i stood for; the first skipMs (start-up) are left out.
    let at = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      if (at < skipMs * 1000) continue;
      const id = profile.samples[i]!;
      selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
    }
  } else {
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * 1000);
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    if (IDLE.has(name)) {
      idle += us;
      continue;
    }
    busy += us;
    const key = `${name} ${where(node)}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = packageOf(node.callFrame.url, name);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
    // Each of Gerbang's functions on this stack, once (recursion must not count twice).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame?.callFrame.url.includes('/dist/src/')) continue;
      const own = `${frame.callFrame.functionName || '(anonymous)'} ${where(frame)}`;
      if (seen.has(own)) continue;
      seen.add(own);
      inclusive.set(own, (inclusive.get(own) ?? 0) + us);
    }
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: busy === 0 ? 0 : us / busy }));
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    functions: rank(fns),
    packages: rank(pkgs),
    inclusive: rank(inclusive),
  };
}

function main(): void {
  const [file, n, skip] = process.argv.slice(2);
  if (!file) {
    console.error(
      `usage: node dist/bench/cpu-profile-top.js <file.cpuprofile> [top N, ${DEFAULT_TOP}] [skip the first ms, 0]`,
    );
    process.exitCode = 2;
    return;
  }
  const top = Number(n ?? DEFAULT_TOP);
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(skip ?? 0));
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  console.log(`busy ${summary.busyMs} ms, idle ${summary.idleMs} ms\n\nself time by package:`);
  for (const p of summary.packages.slice(0, top)) console.log(`  ${pct(p.share)}  ${p.name}`);
  console.log('\nself time by function:');
  for (const f of summary.functions.slice(0, top)) console.log(`  ${pct(f.share)}  ${f.name}`);
  console.log("\nGerbang's functions, total time (with what they call):");
  for (const f of summary.inclusive.slice(0, top)) console.log(`  ${pct(f.share)}  ${f.name}`);
}

main();
