import { RunRecord } from './run-record';
import { median, summarize } from './statistics';

type Column = [string, (r: RunRecord) => number, number];

const COLUMNS: Column[] = [
  ['deliveries/s', (r) => r.deliveriesPerSec, 0],
  ['publish/s', (r) => r.publishPerSec, 0],
  ['lost', (r) => r.lost, 0],
  ['reordered', (r) => r.reordered, 0],
  ['p50 ms', (r) => r.latencyMs.p50, 2],
  ['p99 ms', (r) => r.latencyMs.p99, 2],
  ['max ms', (r) => r.latencyMs.max, 1],
  ['start RSS MiB', (r) => r.serverStartRssMiB, 0],
  ['peak RSS MiB', (r) => r.serverPeakRssMiB, 0],
  ['CPU µs/delivery', (r) => r.cpuPerDeliveryUs, 2],
];

/** Publish confirms: what the publishers saw of them, and the rows the store wrote. */
const CONFIRM_COLUMNS: Column[] = [
  ['confirmed/s', (r) => r.confirmedPerSec ?? NaN, 0],
  ['confirm p50 ms', (r) => r.confirmP50Ms ?? NaN, 2],
  ['confirm p99 ms', (r) => r.confirmP99Ms ?? NaN, 2],
  ['refused', (r) => r.refused ?? NaN, 0],
  ['stored', (r) => r.stored ?? NaN, 0],
];

/** Columns only some scenarios fill (the durable scenario adds the store's kind after them). */
const EXTRA_COLUMNS: Partial<Record<string, Column[]>> = {
  connections: [
    ['RSS/conn KiB', (r) => r.rssPerConnectionKiB ?? NaN, 1],
    ['burst ms', (r) => r.burstMs ?? NaN, 0],
  ],
  durable: [
    ['acknowledged', (r) => r.acknowledged ?? NaN, 0],
    ['stored', (r) => r.stored ?? NaN, 0],
  ],
  confirms: CONFIRM_COLUMNS,
  'confirms-max': CONFIRM_COLUMNS,
  mesh: [
    ['link events/delivery', (r) => r.linkEventsPerDelivery ?? NaN, 2],
    ['link bytes/delivery', (r) => r.linkBytesPerDelivery ?? NaN, 0],
  ],
};

/** Medians (min–max) per scenario and target, and the hub's ratios computed within each run. */
export function markdownReport(records: RunRecord[]): string {
  const lines: string[] = [];
  for (const scenario of [...new Set(records.map((r) => r.scenario))]) {
    const inScenario = records.filter((r) => r.scenario === scenario);
    const extra = EXTRA_COLUMNS[scenario] ?? [];
    const headers = [...COLUMNS, ...extra].map((c) => c[0]);
    if (scenario === 'durable') headers.push('store');
    lines.push(`### ${scenario}`, '', `| target | ${headers.join(' | ')} |`);
    lines.push(`| --- | ${headers.map(() => '---').join(' | ')} |`);
    for (const target of [...new Set(inScenario.map((r) => r.target))]) {
      const runs = inScenario.filter((r) => r.target === target);
      const cells = [...COLUMNS, ...extra].map(([, pick, digits]) =>
        summarize(runs.map(pick), digits),
      );
      if (scenario === 'durable')
        cells.push([...new Set(runs.map((r) => r.store ?? 'n/a'))].join(', '));
      lines.push(`| ${target} | ${cells.join(' | ')} |`);
    }
    lines.push('', ...ratios(inScenario), '');
  }
  return lines.join('\n');
}

function ratios(records: RunRecord[]): string[] {
  const out: string[] = [];
  for (const other of [
    'relay',
    'nest-relay',
    'socketio',
    'hub-alone',
    'hub-audit',
    'hub-memory',
    'hub-no-interest',
    'hub-cluster',
    'nats',
  ] as const) {
    const pairs = [...new Set(records.map((r) => r.run))]
      .map((run) => [
        records.find((r) => r.run === run && r.target === 'hub'),
        records.find((r) => r.run === run && r.target === other),
      ])
      .filter((pair): pair is [RunRecord, RunRecord] => !!pair[0] && !!pair[1]);
    if (pairs.length === 0) continue;
    const ratio = (pick: (r: RunRecord) => number) =>
      median(pairs.map(([hub, peer]) => pick(hub) / pick(peer))).toFixed(2);
    out.push(
      `hub/${other} (median of per-run ratios): deliveries/s ${ratio((r) => r.deliveriesPerSec)}, ` +
        `CPU/delivery ${ratio((r) => r.cpuPerDeliveryUs)}, p99 ${ratio((r) => r.latencyMs.p99)}, ` +
        `max ${ratio((r) => r.latencyMs.max)}, start RSS ${ratio((r) => r.serverStartRssMiB)}` +
        (records[0].scenario === 'connections'
          ? `, RSS/connection ${ratio((r) => r.rssPerConnectionKiB ?? NaN)}`
          : '') +
        (records[0].scenario === 'mesh' || records[0].scenario === 'cluster'
          ? `, link events/delivery ${ratio((r) => r.linkEventsPerDelivery ?? NaN)}` +
            `, link bytes/delivery ${ratio((r) => r.linkBytesPerDelivery ?? NaN)}`
          : ''),
    );
  }
  return out;
}
