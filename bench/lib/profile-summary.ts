/**
 * Summarises a V8 CPU profile (`.cpuprofile`, from BENCH_CPU_PROF): the functions with the most
 * self time, and the packages or source folders that time is spent in, as shares of the
 * sampled time. Usage: node bench/lib/profile-summary.ts <file> [top=30]
 */
import { readFileSync } from 'node:fs';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, topArg, matchArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/lib/profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 30);

const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

/** A package name for node_modules, a source folder for our code, or the runtime's kind. */
function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return url;
  const ours = url.match(/\/(app|build|jobs|db|server)\/(?:([^/]+)\/)?/);
  if (ours) return ours[2] && ours[1] !== 'build' ? `${ours[1]}/${ours[2]}` : ours[1]!;
  return url.split('/').slice(-2).join('/');
}

const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
  const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const a = area(url, functionName);
  byArea.set(a, (byArea.get(a) ?? 0) + us);
}

const share = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${share(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
print('self time by area', byArea);
print('self time by function', byFunction);

// Total (inclusive) time: walk each sampled node's stack to the root once per sample.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url
    ? `${url
        .replace(/\?t=\d+$/, '')
        .split('/')
        .slice(-2)
        .join('/')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${where}`;
};
const inclusive = new Map<string, number>();
let busy = 0;
for (const [id, us] of self) {
  const name = nodes.get(id)!.callFrame.functionName;
  if (name === '(idle)' || name === '(program)') continue;
  busy += us;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = label(nodes.get(at)!);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
const match = matchArg ? new RegExp(matchArg) : null;
console.log(
  `\ntotal time by function (self + callees) as shares of ${(busy / 1e6).toFixed(1)} s busy` +
    (match ? `, matching ${match}` : ''),
);
for (const [key, us] of [...inclusive]
  .filter(([key]) => !match || match.test(key))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(
    `${((100 * us) / busy).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
  );
