// App-agnostic: the repeater's page uses this file too.

/**
 * Browser helpers both dashboards' scripts start with (plain ES2020, no build step): the
 * token, a live connection to the app's `dashboard/stream`, DOM building that only ever
 * sets text (room names and ids come from clients: never HTML), tables, rates and a chart.
 * URLs are relative, so a page behind a reverse proxy under a path prefix keeps working.
 */
export const DASHBOARD_CLIENT = String.raw`
'use strict';
const token = new URLSearchParams(location.search).get('token');
const authHeaders = token ? { authorization: 'Bearer ' + token } : {};
const withToken = (path) =>
  token ? path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : path;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const sum = (tally) => Object.values(tally || {}).reduce((a, b) => a + b, 0);
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
function fmtRate(perSecond) {
  if (!isFinite(perSecond)) return '–';
  return perSecond >= 100 ? fmtInt(perSecond) : perSecond.toFixed(1);
}
function fmtBytes(bytes) {
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1048576) return (bytes / 1024).toFixed(1) + ' KiB';
  return (bytes / 1048576).toFixed(1) + ' MiB';
}
function fmtDuration(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  if (d) return d + 'd ' + h + 'h';
  if (h) return h + 'h ' + m + 'm';
  if (m) return m + 'm ' + s + 's';
  return s + 's';
}
const since = (iso) => fmtDuration((Date.now() - Date.parse(iso)) / 1000) + ' ago';

function badge(state) {
  const good = ['open', 'up', 'connected', 'idle'];
  const bad = ['refused', 'closed', 'down', 'failed', 'disconnected'];
  const kind = good.includes(state) ? 'ok' : bad.includes(state) ? 'bad' : 'wait';
  return el('span', { class: 'badge ' + kind, 'data-state': state }, state);
}

/** Fills a tbody: one row per item, at most 'limit' of them; a note says how many were left out. */
function fillTable(tbody, items, cells, options) {
  const limit = (options && options.limit) || 500;
  const labels = [...tbody.closest('table').querySelectorAll('thead th')].map((th) => th.textContent);
  const columns = labels.length || 1;
  const rows = items.slice(0, limit).map((item) => {
    const row = el('tr', options && options.rowAttrs ? options.rowAttrs(item) : {});
    cells(item).forEach((cell, index) => {
      const td = cell instanceof Node && cell.tagName === 'TD' ? cell : el('td', {}, cell);
      // What a stacked row (a narrow card) shows before the value.
      td.setAttribute('data-label', labels[index] || '');
      row.append(td);
    });
    return row;
  });
  if (items.length === 0) rows.push(el('tr', {}, el('td', { class: 'empty', colspan: columns }, (options && options.empty) || 'none')));
  if (items.length > limit) rows.push(el('tr', {}, el('td', { class: 'more', colspan: columns }, '… and ' + (items.length - limit) + ' more')));
  tbody.replaceChildren(...rows);
}
const num = (value) => el('td', { class: 'num' }, value);
/** A cell for an address or URL: one line, cut with an ellipsis, the whole of it as its title. */
const clipped = (text) => el('td', { class: 'clip', title: text }, el('span', {}, text));

/** Shows a line of feedback under a form (an error in red). */
function say(id, text, isError) {
  const node = $(id);
  node.textContent = text;
  node.classList.toggle('error', Boolean(isError));
}

/** Per-second rates from two readings of running totals. */
function rate(now, before, seconds) {
  if (before === undefined || seconds <= 0) return 0;
  return Math.max(0, now - before) / seconds;
}

/**
 * The chart's span, and its samples: one set of rates per reading. The app keeps the last
 * 15 minutes (a sample every 5 s): the page starts with those, so a reload keeps the history.
 */
const SPAN_SECONDS = 900;
const samples = [];

async function loadHistory() {
  try {
    const result = await api('GET', 'dashboard/history');
    if (!result.ok) return;
    const first = samples.length ? samples[0].t : Infinity;
    samples.unshift(...result.body.samples.filter((sample) => sample.t < first));
  } catch (_) {
    // the live samples still fill the chart
  }
}

/**
 * The rates of the totals named by keys, from this reading and the one before; kept as a
 * sample for the chart (for its span). Returns the rates and the seconds between readings.
 */
function sampleRates(now, before, keys) {
  const seconds = before ? (now.t - before.t) / 1000 : 0;
  const rates = { t: now.t };
  for (const key of keys) rates[key] = rate(now[key], before && before[key], seconds);
  if (before) samples.push(rates);
  while (samples.length && samples[0].t < now.t - SPAN_SECONDS * 1000) samples.shift();
  return { rates, seconds };
}

/**
 * The page's header and rate cards from a reading: the app's id and uptime, then for each key
 * its rate (#rate-KEY, '–' until there are two readings) and total (#total-KEY), and the chart
 * of the series. Returns what sampleRates does.
 */
function showReading(app, id, uptimeSeconds, now, before, keys, series) {
  const result = sampleRates(now, before, keys);
  $(app + '-id').textContent = id;
  document.title = 'CES ' + app + ' ' + id;
  $('uptime').textContent = fmtDuration(uptimeSeconds);
  for (const key of keys) {
    const node = $('rate-' + key);
    node.textContent = before ? fmtRate(result.rates[key]) : '–';
    node.dataset.value = String(result.rates[key]);
    $('total-' + key).textContent = fmtInt(now[key]) + ' total';
  }
  drawChart($('chart'), samples, series, SPAN_SECONDS);
  return result;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  return node;
}

/** A rolling chart of a few rate series over the last 'span' seconds, hand-drawn in SVG. */
function drawChart(target, samples, series, span) {
  // Drawn at the size it is shown, so the labels are not stretched.
  const width = Math.max(300, Math.round(target.clientWidth || 600)), height = 160, left = 44, bottom = 16, top = 8;
  const now = samples.length ? samples[samples.length - 1].t : Date.now();
  let max = 1;
  for (const sample of samples) for (const s of series) max = Math.max(max, sample[s.key]);
  const x = (t) => left + (width - left) * (1 - (now - t) / (span * 1000));
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const root = svg('svg', { class: 'chart', viewBox: '0 0 ' + width + ' ' + height, 'data-max': max, 'data-samples': samples.length });
  for (const f of [0, 0.5, 1]) {
    root.append(svg('line', { class: 'grid', x1: left, x2: width, y1: y(max * f), y2: y(max * f) }));
    const label = svg('text', { x: left - 4, y: y(max * f) + 4, 'text-anchor': 'end' });
    label.textContent = fmtRate(max * f);
    root.append(label);
  }
  const axis = svg('text', { x: left, y: height - 2 });
  axis.textContent = '−' + Math.round(span / 60) + ' min';
  const nowLabel = svg('text', { x: width, y: height - 2, 'text-anchor': 'end' });
  nowLabel.textContent = 'now';
  root.append(axis, nowLabel);
  for (const s of series) {
    const points = samples.map((sample) => x(sample.t).toFixed(1) + ',' + y(sample[s.key]).toFixed(1));
    root.append(svg('polyline', { class: s.cls, points: points.join(' '), 'data-last': samples.length ? samples[samples.length - 1][s.key] : 0 }));
  }
  target.replaceChildren(root);
}

function showBanner(message) {
  const banner = $('banner');
  banner.textContent = message || '';
  banner.classList.toggle('shown', Boolean(message));
}

function setLive(live) {
  const indicator = $('live');
  indicator.replaceChildren(badge(live ? 'open' : 'disconnected'));
  indicator.dataset.live = live ? 'true' : 'false';
}

/**
 * Follows the app's dashboard/stream (server-sent events, one document a second). An HTTP
 * error closes an EventSource for good: then the reason is fetched, shown, and the stream
 * tried again a little later (a restarted app, a token fixed in the URL).
 */
function follow(onDocument) {
  loadHistory();
  let source;
  const open = () => {
    source = new EventSource(withToken('dashboard/stream'));
    source.onopen = () => setLive(true);
    source.onmessage = (message) => {
      setLive(true);
      showBanner('');
      onDocument(JSON.parse(message.data), Number(message.lastEventId) || Date.now());
    };
    source.onerror = () => {
      setLive(false);
      if (source.readyState !== EventSource.CLOSED) return;
      fetch('status', { headers: authHeaders })
        .then((response) => {
          if (response.status === 401 || response.status === 403)
            showBanner('Not authorized (HTTP ' + response.status + '): open this page with ?token=<token> in its URL.');
          else showBanner('Lost the connection (HTTP ' + response.status + '); retrying…');
        })
        .catch(() => showBanner('Lost the connection; retrying…'));
      setTimeout(open, 5000);
    };
  };
  open();
}

/** Calls the app's REST API with the token; resolves to { ok, status, body }. */
async function api(method, path) {
  const response = await fetch(path, { method, headers: authHeaders });
  const text = await response.text();
  let body = text;
  try { body = text ? JSON.parse(text) : undefined; } catch (_) { /* not JSON */ }
  return { ok: response.ok, status: response.status, body };
}
const errorText = (result) =>
  'HTTP ' + result.status + ': ' + ((result.body && result.body.message) || result.body || 'failed');
`;

/** The page around a dashboard: strict CSP, no referrer (the URL may carry a token). */
export function dashboardHtml(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="dashboard/app.css">
</head>
<body>
<div id="banner" role="alert"></div>
${body}
<script src="dashboard/app.js"></script>
</body>
</html>
`;
}

/** Headers for every dashboard asset: the page runs only its own script and style, in no frame. */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};
