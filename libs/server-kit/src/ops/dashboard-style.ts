// App-agnostic: the repeater's page uses this file too.

/** The rules that show the rows of the tables `selector` matches as lists of labelled lines. */
function stacked(table: string): string {
  return `
  ${table} thead { display: none; }
  ${table}, ${table} tbody, ${table} tr { display: block; width: 100%; }
  ${table} tr { border-bottom: 1px solid var(--line); padding: 4px 0; }
  ${table} td { display: flex; gap: 8px; border: 0; padding: 2px 6px; text-align: left; max-width: none; }
  ${table} td::before { content: attr(data-label); flex: 0 0 7.5em; color: var(--muted); font-weight: 600; }
  ${table} td > * { min-width: 0; }
  ${table} td.clip > span { overflow: hidden; text-overflow: ellipsis; }
`;
}

/** The dashboards' stylesheet, served as `dashboard/app.css` (the page's CSP allows no inline style). */
export const DASHBOARD_STYLE = `
:root {
  --bg: #f6f7f9; --panel: #fff; --ink: #1d232b; --muted: #5f6b7a; --line: #dde2e8;
  --in: #1f6feb; --out: #2da44e; --drop: #cf222e; --warn: #bf8700;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #0f1419; --panel: #161b22; --ink: #e6edf3; --muted: #8d96a0; --line: #30363d; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); }
header { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; padding: 12px 20px;
  background: var(--panel); border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; overflow-wrap: anywhere; }
header .meta { color: var(--muted); }
main { display: grid; gap: 16px; padding: 16px 20px; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); }
@media (max-width: 600px) { main { padding: 12px 8px; gap: 12px; } }
/* A card is a size container: its tables fit its width, not the window's. */
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  min-width: 0; container-type: inline-size; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 14px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
/* Client text (rooms, names) wraps where it can, and inside a word only when it must. */
td.wrap { overflow-wrap: anywhere; }
/* Addresses and URLs stay on one line, cut with an ellipsis; the cell's title has all of it. */
td.clip { max-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.error { color: var(--drop); }
td .when { display: block; color: var(--muted); font-size: 12px; }
/*
 * A table with many columns, in a card too narrow for them, shows each row as a list of
 * "label value" lines (the label is its column's heading), so nothing sticks out of the card.
 */
@container (max-width: 560px) {${stacked('table.stack')}}
@container (max-width: 900px) {${stacked('table.stack.many')}}
th.address { width: 22%; }
.empty { color: var(--muted); font-style: italic; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { flex: 1 1 120px; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card.in .value { color: var(--in); } .card.out .value { color: var(--out); } .card.drop .value { color: var(--drop); }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; border: 1px solid var(--line); }
.badge.ok { color: var(--out); border-color: var(--out); }
.badge.bad { color: var(--drop); border-color: var(--drop); }
.badge.wait { color: var(--warn); border-color: var(--warn); }
#banner { display: none; padding: 8px 20px; background: var(--drop); color: #fff; }
#banner.shown { display: block; }
svg.chart { width: 100%; height: 160px; display: block; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart text { fill: var(--muted); font-size: 11px; }
svg.chart polyline { fill: none; stroke-width: 1.5; }
svg.chart .in { stroke: var(--in); } svg.chart .out { stroke: var(--out); } svg.chart .drop { stroke: var(--drop); }
.legend span { margin-right: 12px; } .legend .in { color: var(--in); } .legend .out { color: var(--out); } .legend .drop { color: var(--drop); }
form { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 10px 0; }
input { flex: 1 1 12em; min-width: 0; padding: 5px 8px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--ink); }
button { padding: 5px 10px; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); color: var(--ink); cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
.message { margin-top: 6px; min-height: 1.4em; color: var(--muted); }
.message.error { color: var(--drop); }
.more { color: var(--muted); padding-top: 4px; }
`;
