/** A scrape, parsed: samples by name and labels, and each family's TYPE. */
export interface Scrape {
  text: string;
  types: Map<string, string>;
  /** Every sample of a name, with its labels. */
  samples(name: string): { labels: Record<string, string>; value: number }[];
  /** The one sample of a name whose labels include `labels`; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The sum of a name's samples whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text exposition format (enough of it for tests). */
export function parseScrape(text: string): Scrape {
  const types = new Map<string, string>();
  const byName = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ');
      types.set(name, type);
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL))
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const list = byName.get(match[1]) ?? [];
    list.push({ labels, value: Number(match[3]) });
    byName.set(match[1], list);
  }
  const matching = (name: string, labels: Record<string, string>) =>
    (byName.get(name) ?? []).filter((sample) =>
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  return {
    text,
    types,
    samples: (name) => byName.get(name) ?? [],
    value(name, labels = {}) {
      const found = matching(name, labels);
      if (found.length > 1)
        throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return found[0]?.value;
    },
    sum: (name, labels = {}) => matching(name, labels).reduce((total, s) => total + s.value, 0),
  };
}

/** GET /metrics of an app. */
export async function scrape(
  httpUrl: string,
  headers: Record<string, string> = {},
): Promise<Scrape> {
  const response = await fetch(`${httpUrl}/metrics`, { headers });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return parseScrape(await response.text());
}
