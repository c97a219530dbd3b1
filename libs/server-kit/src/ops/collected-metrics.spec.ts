import { Registry } from 'prom-client';
import { closeCodeLabel, MetricCatalog, registerCatalog } from './collected-metrics';

const CATALOG: MetricCatalog = {
  ces_test_in_total: { type: 'counter', help: 'by source', labels: ['source'] },
  ces_test_rooms: { type: 'gauge', help: 'unlabelled' },
  ces_test_state: { type: 'gauge', help: 'samples', labels: ['link', 'state'] },
};

describe('registerCatalog', () => {
  it('reads every metric at scrape time: a tally, a number, samples', async () => {
    const registry = new Registry();
    const tally: Record<string, number> = { messenger: 3 };
    let rooms = 2;
    registerCatalog(registry, CATALOG, {
      ces_test_in_total: () => tally,
      ces_test_rooms: () => rooms,
      ces_test_state: () => [[{ link: 'a', state: 'open' }, 1]],
    });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE ces_test_in_total counter');
    expect(text).toContain('ces_test_in_total{source="messenger"} 3');
    expect(text).toContain('ces_test_rooms 2');
    expect(text).toContain('ces_test_state{link="a",state="open"} 1');

    tally.messenger = 10;
    tally.api = 1;
    rooms = 0;
    const later = await registry.metrics();
    expect(later).toContain('ces_test_in_total{source="messenger"} 10');
    expect(later).toContain('ces_test_in_total{source="api"} 1');
    expect(later).toContain('ces_test_rooms 0');
  });

  it('refuses a definition without a reader and a reader without a definition', () => {
    expect(() => registerCatalog(new Registry(), CATALOG, { ces_test_rooms: () => 1 })).toThrow(
      'metric ces_test_in_total: no reader',
    );
    expect(() => registerCatalog(new Registry(), {}, { ces_test_rooms: () => 1 })).toThrow(
      'metric ces_test_rooms: no definition',
    );
  });
});

describe('closeCodeLabel', () => {
  it('keeps the documented codes and folds any other into "other"', () => {
    for (const code of [1000, 1001, 1006, 1008, 1009, 4008, 4401, 4408, 4409])
      expect(closeCodeLabel(code)).toBe(String(code));
    expect(closeCodeLabel(4999)).toBe('other');
    expect(closeCodeLabel(3000)).toBe('other');
  });
});
