import { CloseCodes } from '@ces/protocol';
import { Counter, Gauge, Registry } from 'prom-client';

export type Labels = Record<string, string>;

/** One series of a metric: its labels and its value. */
export type Sample = readonly [labels: Labels, value: number];

/** How a catalog describes a metric; its values come from the app's reader of that name. */
export interface MetricDefinition {
  type: 'counter' | 'gauge';
  help: string;
  labels?: readonly string[];
}

/** A metric catalog: each metric's definition by its name (the apps keep theirs as JSON). */
export type MetricCatalog = Readonly<Record<string, MetricDefinition>>;

/**
 * What a reader returns at scrape time: the value of an unlabelled metric, a tally of values
 * by the metric's one label (`{ messenger: 3 }` → `{kind="messenger"} 3`), or samples.
 */
export type MetricReading = number | Readonly<Record<string, number>> | Iterable<Sample>;

/**
 * Registers the metrics of a catalog, each collected at scrape time by the reader of the same
 * name from what the app already keeps, so nothing is added to the code that counts. A
 * counter's reader returns running totals, which only grow for the life of the app:
 * Prometheus sees a true counter (`rate()` works) and no previous snapshot has to be kept to
 * compute deltas. Each metric is reset and refilled at every scrape, so a series that is gone
 * (a link removed, a target dropped) disappears; samples whose labels collide are summed.
 * A catalog entry without a reader, or a reader without an entry, fails at startup.
 */
export function registerCatalog(
  registry: Registry,
  catalog: MetricCatalog,
  readers: Readonly<Record<string, () => MetricReading>>,
): void {
  const names = new Set([...Object.keys(catalog), ...Object.keys(readers)]);
  for (const name of names) {
    const definition = catalog[name];
    const read = readers[name];
    if (!definition || !read)
      throw new Error(`metric ${name}: no ${definition ? 'reader' : 'definition'}`);
    const Type = { counter: Counter, gauge: Gauge }[definition.type];
    if (!Type) throw new Error(`metric ${name}: unknown type ${String(definition.type)}`);
    const labelNames = definition.labels ?? [];
    new Type({
      name,
      help: definition.help,
      labelNames,
      registers: [registry],
      collect(this: Counter | Gauge) {
        this.reset();
        for (const [labels, value] of samplesOf(read(), labelNames[0])) this.inc(labels, value);
      },
    });
  }
}

function samplesOf(reading: MetricReading, label: string | undefined): Iterable<Sample> {
  if (typeof reading === 'number') return [[{}, reading]];
  if (Symbol.iterator in reading) return reading as Iterable<Sample>;
  return tallySamples(label ?? 'key', reading as Readonly<Record<string, number>>);
}

/** A tally of running totals by one label (`{ messenger: 3 }` → `{kind="messenger"} 3`). */
export function tallySamples(label: string, tally: Readonly<Record<string, number>>): Sample[] {
  return Object.entries(tally).map(([key, value]) => [{ [label]: key }, value]);
}

/** A tally of tallies by two labels (`{ hub: { 1000: 2 } }` → `{kind="hub",code="1000"} 2`). */
export function nestedTallySamples(
  outer: string,
  inner: string,
  tallies: Readonly<Record<string, Readonly<Record<string, number>>>>,
): Sample[] {
  return Object.entries(tallies).flatMap(([outerKey, tally]) =>
    Object.entries(tally).map(([innerKey, value]): Sample => [
      { [outer]: outerKey, [inner]: innerKey },
      value,
    ]),
  );
}

/** A state gauge: 1 for the state something is in, nothing for the states it is not in. */
export function stateSamples(state: string, labels: Labels = {}): Sample[] {
  return [[{ ...labels, state }, 1]];
}

/**
 * The close codes a metric labels by: the standard ones our servers see and the ones they
 * send (CloseCodes). Any other code a peer sends is `other`, so a peer cannot grow the
 * label set.
 */
const LABELLED_CLOSE_CODES = new Set<number>([
  ...Object.values(CloseCodes),
  1002, // protocol error
  1005, // closed with no code
  1006, // cut off, no close frame (also every socket the server terminates)
]);

export function closeCodeLabel(code: number): string {
  return LABELLED_CLOSE_CODES.has(code) ? String(code) : 'other';
}
