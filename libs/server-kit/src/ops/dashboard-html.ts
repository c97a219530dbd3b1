// App-agnostic: the repeater's page uses this file too.
import { dashboardHtml } from './dashboard-client';

/** A rate card of the page's first card: the key the script fills (#rate-KEY, #total-KEY). */
export interface RateCard {
  key: string;
  label: string;
  cls: 'in' | 'out' | 'drop';
  /** Drawn in the chart (and named in its legend by its key). */
  charted?: boolean;
}

export interface DashboardPage {
  /** `hub` or `repeater`: the title, and the id of the element the app's id goes in (`hub-id`). */
  app: string;
  /** More of the header, after the id (e.g. the version). */
  meta?: string;
  rates: readonly RateCard[];
  /** The app's own cards, after the rates. */
  cards: readonly string[];
}

/** A whole dashboard page: header, rates and chart, then the app's cards. */
export function dashboardPage(page: DashboardPage): string {
  const rates = page.rates
    .map(
      ({ key, label, cls }) =>
        `<div class="card ${cls}"><div class="label">${label}</div><div class="value" id="rate-${key}">–</div><div class="label" id="total-${key}"></div></div>`,
    )
    .join('\n      ');
  const legend = page.rates
    .filter((rate) => rate.charted)
    .map(({ key, cls }) => `<span class="${cls}">■ ${key}</span>`)
    .join('');
  const header = `<header>
  <h1>CES ${page.app} <span id="${page.app}-id">…</span></h1>${page.meta ? `\n  ${page.meta}` : ''}
  <span class="meta">up <span id="uptime">–</span></span>
  <span class="meta" id="live" data-live="false"></span>
</header>`;
  const chart = card(
    'Events per second, last 15 minutes',
    `<div class="cards">
      ${rates}
    </div>
    <div class="legend">${legend}</div>
    <div id="chart"></div>`,
    { wide: true },
  );
  return dashboardHtml(
    `CES ${page.app}`,
    `${header}\n<main>\n${[chart, ...page.cards].join('\n')}\n</main>`,
  );
}

/** One card: a heading (HTML) and its content. */
export function card(heading: string, content: string, options: { wide?: boolean } = {}): string {
  return `  <section${options.wide ? ' class="wide"' : ''}>
    <h2>${heading}</h2>
    ${content}
  </section>`;
}

/**
 * A table the page's script fills (its body is `#ID-body`). A column is its heading, with
 * `:num` for a right-aligned number or `:address` for a wider address or URL column.
 */
export function dataTable(id: string, columns: readonly string[], classes = ''): string {
  const headings = columns
    .map((column) => {
      const [label, kind] = column.split(':');
      return kind ? `<th class="${kind}">${label}</th>` : `<th>${label}</th>`;
    })
    .join('');
  return `<table id="${id}"${classes ? ` class="${classes}"` : ''}>
      <thead><tr>${headings}</tr></thead>
      <tbody id="${id}-body"></tbody>
    </table>`;
}
