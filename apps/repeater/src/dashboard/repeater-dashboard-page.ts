import { card, DASHBOARD_CLIENT, dashboardPage, dataTable } from '@ces/server-kit';

/** The repeater's dashboard page. Element ids are what the script fills. */
export const REPEATER_DASHBOARD_HTML = dashboardPage({
  app: 'repeater',
  rates: [
    { key: 'in', label: 'in (to the hub)', cls: 'in', charted: true },
    { key: 'out', label: 'out (from the hub)', cls: 'out', charted: true },
    { key: 'rejected', label: 'rejected', cls: 'drop', charted: true },
  ],
  cards: [
    card('Uplink to the hub', dataTable('uplink', ['what', 'value'])),
    card(
      'Send-map targets',
      dataTable(
        'targets',
        [
          'target:address',
          'state',
          'queued:num',
          'sent/s:num',
          'sent:num',
          'failed:num',
          'dropped:num',
          'last error',
        ],
        'stack',
      ),
    ),
    card(
      'Outside connections <span id="count-connections"></span>',
      dataTable(
        'connections',
        ['id', 'room', 'address:address', 'in:num', 'out:num', 'idle:num', 'connected'],
        'stack',
      ),
      { wide: true },
    ),
  ],
});

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
