/**
 * Summarises a .cpuprofile (from `node --cpu-prof`): where the time went, by function and by package.
 *   npx tsx bench/tools/cpuprofile.ts FILE [TOP=30] [INCLUSIVE=0]
 * e.g. `node --cpu-prof --cpu-prof-dir=prof --import tsx bench/run.ts --quick --only replay` then this on the
 * biggest file in prof/ (the run's own process; child processes are not profiled).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, inclusiveArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/tools/cpuprofile.ts FILE [TOP] [INCLUSIVE]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const inclusiveTop = Number(inclusiveArg ?? 0);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url: string) => url.replace(/.*node_modules\//, 'nm/').replace(/^file:\/\/.*?\/(src|bench|test)\//, '$1/');
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const packageOf = (n: ProfileNode) => {
  const url = short(n.callFrame.url);
  if (!url) return n.callFrame.functionName;
  if (url.startsWith('nm/'))
    return url
      .split('/')
      .slice(0, url.startsWith('nm/@') ? 3 : 2)
      .join('/');
  return url;
};

const selfTime = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
  total += dt;
});

const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);
const bySelf = new Map<string, number>();
const byPackage = new Map<string, number>();
const byInclusive = new Map<string, number>();
for (const [id, t] of selfTime) {
  const node = byId.get(id)!;
  add(bySelf, label(node), t);
  add(byPackage, packageOf(node), t);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(byId.get(cur)!);
    if (!seen.has(key)) {
      seen.add(key);
      add(byInclusive, key, t);
    }
  }
}

const pct = (t: number) => `${((100 * t) / total).toFixed(1)}%`.padStart(6);
const print = (title: string, map: Map<string, number>, n: number) => {
  console.log(`--- ${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(t)}  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by function', bySelf, top);
print('self time by package / file', byPackage, 20);
if (inclusiveTop) print('inclusive time', byInclusive, inclusiveTop);
