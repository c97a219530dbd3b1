import { ClientCostRecord, ClientSide } from '../scenarios/client-cost';
import { median, summarize } from './statistics';

/**
 * The `client` scenario's table: per side and client, the client's CPU per event and what
 * the hub made of the traffic; under it messenger/raw per side, the median of per-run ratios.
 */
export function clientCostReport(records: ClientCostRecord[]): string {
  if (records.length === 0) return '';
  const lines = [
    '### client',
    '',
    '| side | client | client CPU µs/event | events/s | published | received | reordered | batches held back |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const sides = [...new Set(records.map((r) => r.side))];
  for (const side of sides) {
    for (const client of ['messenger', 'raw'] as const) {
      const runs = records.filter((r) => r.side === side && r.client === client);
      if (runs.length === 0) continue;
      const cell = (pick: (r: ClientCostRecord) => number, digits = 0) =>
        summarize(runs.map(pick), digits);
      lines.push(
        `| ${side} | ${client} | ${cell((r) => r.cpuPerEventUs, 2)} | ${cell((r) => r.eventsPerSec)} | ` +
          `${cell((r) => r.published)} | ${cell((r) => r.received)} | ${cell((r) => r.reordered)} | ` +
          `${cell((r) => r.heldBack)} |`,
      );
    }
  }
  const ratios = sides.map((side) => `${side} ${ratioOf(records, side)}`);
  lines.push(
    '',
    `messenger/raw client CPU per event (median of per-run ratios): ${ratios.join(', ')}`,
    '',
  );
  return lines.join('\n');
}

function ratioOf(records: ClientCostRecord[], side: ClientSide): string {
  const ofSide = records.filter((r) => r.side === side);
  const perRun = [...new Set(ofSide.map((r) => r.run))].flatMap((run) => {
    const messenger = ofSide.find((r) => r.run === run && r.client === 'messenger');
    const raw = ofSide.find((r) => r.run === run && r.client === 'raw');
    return messenger && raw ? [messenger.cpuPerEventUs / raw.cpuPerEventUs] : [];
  });
  return perRun.length ? median(perRun).toFixed(2) : 'n/a';
}
