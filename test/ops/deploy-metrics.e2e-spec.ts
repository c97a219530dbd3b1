import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { Scrape, scrape } from './support/prometheus-text';
import { loadRepeater, RunningRepeater } from './support/repeater';

const ROOT = join(__dirname, '..', '..');
const DASHBOARD = join(ROOT, 'deploy/grafana/ces-dashboard.json');
const ALERTS = join(ROOT, 'deploy/prometheus/ces-alerts.yml');

/** Series Prometheus makes itself for every scrape target; no app serves them. */
const MADE_BY_PROMETHEUS = new Set(['up']);

const KEYWORDS = new Set([
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers,
 * ranges, `by (…)` label lists, function names, keywords and numbers are taken out.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/[a-zA-Z_][a-zA-Z0-9_]*\s*\(/g, '(');
  const names = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return names.filter((name) => !KEYWORDS.has(name.toLowerCase()));
}

/** A `label_values(metric, label)` variable's metric. */
function variableMetric(query: string): string[] {
  const match = /label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/.exec(query);
  return match ? [match[1]] : metricNames(query);
}

interface GrafanaPanel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: GrafanaPanel[];
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: GrafanaPanel[] };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  return panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => target.expr ?? '').filter(Boolean),
  );
}

function dashboardVariableQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    templating: { list: { type: string; query: string | { query: string } }[] };
  };
  return dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) =>
      typeof variable.query === 'string' ? variable.query : variable.query.query,
    );
}

/** The rules' expressions: every rule keeps its `expr` on one line (the file says so). */
function alertExpressions(): { alerts: number; exprs: string[] } {
  const text = readFileSync(ALERTS, 'utf8');
  const alerts = text.match(/^\s*- alert: /gm)?.length ?? 0;
  const exprs = [...text.matchAll(/^\s*expr: (.+)$/gm)].map((match) => match[1].trim());
  return { alerts, exprs };
}

/** A name as its family is called in the exposition: a histogram's `_bucket` is its own. */
function familyOf(name: string, scrapes: Scrape[]): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const type = scrapes.map((s) => s.types.get(base)).find(Boolean);
    if (type === 'histogram' || type === 'summary') return base;
  }
  return name;
}

describe('the metric names PromQL reads', () => {
  it('are found in expressions with functions, matchers, ranges and label lists', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(ces_a_bucket{instance=~"$hub",x="y z"}[$__rate_interval]))) > 0 and on (job) ces_b == 0',
      ),
    ).toEqual(['ces_a_bucket', 'ces_b']);
    expect(variableMetric('label_values(ces_hub_info, instance)')).toEqual(['ces_hub_info']);
  });
});

describe('the Grafana dashboard and the Prometheus alert rules in deploy/', () => {
  let hub: TestHub;
  let repeater: RunningRepeater;

  beforeAll(async () => {
    const { startRepeater } = await loadRepeater();
    hub = await startHub();
    repeater = await startRepeater({
      REPEATER_HOST: '127.0.0.1',
      REPEATER_PORT: 0,
      REPEATER_HUB_URL: hub.url,
      REPEATER_SEND_MAP: JSON.stringify({ 'ITB-1101': ['http://127.0.0.1:9/events'] }),
      LOG_LEVEL: 'error',
    });
  });

  afterAll(async () => {
    await repeater?.app.close();
    await hub?.close();
  });

  it('use only metrics that a hub or a repeater serves on /metrics', async () => {
    const repeaterUrl = `http://127.0.0.1:${repeater.port}`;
    await waitFor(
      async () => (await scrape(repeaterUrl)).value('ces_repeater_uplink_up') === 1,
      'the uplink to open',
    );
    const scrapes = [await scrape(hub.httpUrl), await scrape(repeaterUrl)];

    const { alerts, exprs: alertExprs } = alertExpressions();
    expect(alerts).toBeGreaterThan(0);
    expect(alertExprs).toHaveLength(alerts);
    const dashboardExprs = dashboardExpressions();
    expect(dashboardExprs.length).toBeGreaterThan(0);

    const used = new Set([
      ...[...dashboardExprs, ...alertExprs].flatMap(metricNames),
      ...dashboardVariableQueries().flatMap(variableMetric),
    ]);
    // The dashboard covers both apps: events, deliveries, drops, bytes, backlog, targets.
    for (const name of [
      'ces_hub_events_in_total',
      'ces_hub_events_out_total',
      'ces_hub_events_dropped_total',
      'ces_hub_peers',
      'ces_hub_bytes_in_total',
      'ces_hub_bytes_out_total',
      'ces_hub_backlog_events',
      'ces_repeater_target_deliveries_total',
    ])
      expect(used).toContain(name);

    const missing = [...used]
      .filter((name) => !MADE_BY_PROMETHEUS.has(name))
      .filter((name) => !scrapes.some((s) => s.types.has(familyOf(name, scrapes))));
    expect(missing).toEqual([]);
  });
});
