import { DASHBOARD_CLIENT, dashboardHtml } from '@ces/server-kit';

/** The repeater's dashboard page. Element ids are what the script fills. */
export const REPEATER_DASHBOARD_HTML = dashboardHtml(
  'CES repeater',
  `<header>
  <h1>CES repeater <span id="repeater-id">…</span></h1>
  <span class="meta">up <span id="uptime">–</span></span>
  <span class="meta" id="live" data-live="false"></span>
</header>
<main>
  <section class="wide">
    <h2>Events per second, last 15 minutes</h2>
    <div class="cards">
      <div class="card in"><div class="label">in (to the hub)</div><div class="value" id="rate-in">–</div><div class="label" id="total-in"></div></div>
      <div class="card out"><div class="label">out (from the hub)</div><div class="value" id="rate-out">–</div><div class="label" id="total-out"></div></div>
      <div class="card drop"><div class="label">rejected</div><div class="value" id="rate-rejected">–</div><div class="label" id="total-rejected"></div></div>
    </div>
    <div class="legend"><span class="in">■ in</span><span class="out">■ out</span><span class="drop">■ rejected</span></div>
    <div id="chart"></div>
  </section>
  <section>
    <h2>Uplink to the hub</h2>
    <table id="uplink">
      <thead><tr><th>what</th><th>value</th></tr></thead>
      <tbody id="uplink-body"></tbody>
    </table>
  </section>
  <section>
    <h2>Send-map targets</h2>
    <table id="targets" class="stack">
      <thead><tr><th class="address">target</th><th>state</th><th class="num">queued</th><th class="num">sent/s</th><th class="num">sent</th><th class="num">failed</th><th class="num">dropped</th><th>last error</th></tr></thead>
      <tbody id="targets-body"></tbody>
    </table>
  </section>
  <section class="wide">
    <h2>Outside connections <span id="count-connections"></span></h2>
    <table id="connections" class="stack">
      <thead><tr><th>id</th><th>room</th><th class="address">address</th><th class="num">in</th><th class="num">out</th><th class="num">idle</th><th>connected</th></tr></thead>
      <tbody id="connections-body"></tbody>
    </table>
  </section>
</main>`,
);

const REPEATER_SCRIPT = String.raw`
let last;

function ingress(events) {
  let total = 0;
  for (const [what, count] of Object.entries(events || {})) if (what.startsWith('ingress')) total += count;
  return total;
}

function render(status, t) {
  const events = status.totals.events;
  const now = {
    t,
    in: ingress(events),
    out: events.egress || 0,
    rejected: sum(status.totals.rejected),
    targets: new Map(),
  };
  const { seconds } = showReading('repeater', status.repeaterId, status.uptimeSeconds, now, last, ['in', 'out', 'rejected'], [
    { key: 'in', cls: 'in' },
    { key: 'out', cls: 'out' },
    { key: 'rejected', cls: 'drop' },
  ]);

  const uplink = Object.entries(status.uplink || {}).filter(([, value]) => typeof value !== 'object' || value === null);
  fillTable($('uplink-body'), uplink, ([what, value]) => [what, what === 'state' ? badge(String(value)) : String(value)],
    { rowAttrs: ([what, value]) => (what === 'state' ? { id: 'uplink-state', 'data-state': value } : {}) });

  fillTable($('targets-body'), status.targets, (target) => {
    const before = last && last.targets.get(target.address);
    now.targets.set(target.address, target);
    return [
      clipped(target.address),
      el('td', {}, badge(target.state)),
      num(fmtInt(target.queued)),
      num(fmtRate(rate(target.sent, before && before.sent, seconds))),
      num(fmtInt(target.sent)),
      num(fmtInt(target.failed)),
      num(fmtInt(target.dropped)),
      target.lastError
        ? el('td', { class: 'wrap error' }, el('span', {}, target.lastError, el('span', { class: 'when', title: target.lastErrorAt }, since(target.lastErrorAt))))
        : '–',
    ];
  }, { empty: 'no send map', rowAttrs: (target) => ({ 'data-target': target.address, 'data-failing': target.lastError ? 'true' : 'false' }) });

  $('count-connections').textContent = '(' + status.connections.length + ')';
  fillTable($('connections-body'), status.connections, (c) => [
    el('td', { class: 'wrap' }, c.id),
    el('td', { class: 'wrap' }, c.room === null ? '(send only)' : c.room),
    clipped(c.remoteAddress),
    num(fmtInt(c.eventsIn)),
    num(fmtInt(c.eventsOut)),
    num(fmtDuration(c.idleMs / 1000)),
    since(c.connectedAt),
  ], { empty: 'no outside connections', rowAttrs: (c) => ({ 'data-connection': c.id }) });

  last = now;
}

follow(render);
`;

/** The page's script: the shared helpers, then the repeater's own part, in one scope. */
export const REPEATER_DASHBOARD_SCRIPT = `(() => {${DASHBOARD_CLIENT}\n${REPEATER_SCRIPT}})();\n`;
