/**
 * Summarizes a V8 .cpuprofile (from `BENCH_TARGET_NODE_OPTIONS=--cpu-prof`): self time by
 * function, the top N. Usage: node dist/bench/profile-summary.js FILE.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, top = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
const byFunction = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  total += hits;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}`
    : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
}
const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
for (const [name, hits] of rows)
  console.log(`${((hits * 100) / total).toFixed(1).padStart(5)}%  ${name}`);
