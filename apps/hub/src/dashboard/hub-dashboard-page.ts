import { DASHBOARD_CLIENT, dashboardHtml } from '@ces/server-kit';

/** The hub's dashboard page. Element ids are what the script fills (and what the e2e test reads). */
export const HUB_DASHBOARD_HTML = dashboardHtml(
  'CES hub',
  `<header>
  <h1>CES hub <span id="hub-id">…</span></h1>
  <span class="meta">version <span id="version">–</span></span>
  <span class="meta">up <span id="uptime">–</span></span>
  <span class="meta" id="live" data-live="false"></span>
</header>
<main>
  <section class="wide">
    <h2>Events per second</h2>
    <div class="cards">
      <div class="card in"><div class="label">in</div><div class="value" id="rate-in">–</div><div class="label" id="total-in"></div></div>
      <div class="card out"><div class="label">out</div><div class="value" id="rate-out">–</div><div class="label" id="total-out"></div></div>
      <div class="card drop"><div class="label">dropped</div><div class="value" id="rate-dropped">–</div><div class="label" id="total-dropped"></div></div>
      <div class="card drop"><div class="label">rejected</div><div class="value" id="rate-rejected">–</div><div class="label" id="total-rejected"></div></div>
    </div>
    <div class="legend"><span class="in">■ in</span><span class="out">■ out</span><span class="drop">■ dropped</span></div>
    <div id="chart"></div>
  </section>
  <section class="wide">
    <h2>Peers</h2>
    <div class="cards">
      <div class="card"><div class="label">messengers</div><div class="value" id="count-messenger">–</div></div>
      <div class="card"><div class="label">repeaters</div><div class="value" id="count-repeater">–</div></div>
      <div class="card"><div class="label">hubs</div><div class="value" id="count-hub">–</div></div>
    </div>
    <table id="peers">
      <thead><tr><th>kind</th><th>id</th><th>address</th><th>rooms</th><th class="num">in/s</th><th class="num">out/s</th><th class="num">dropped</th><th class="num">queued</th><th>connected</th></tr></thead>
      <tbody id="peers-body"></tbody>
    </table>
  </section>
  <section>
    <h2>Rooms</h2>
    <table id="rooms">
      <thead><tr><th>room</th><th class="num">subscribers</th><th class="num">groups</th></tr></thead>
      <tbody id="rooms-body"></tbody>
    </table>
  </section>
  <section>
    <h2>Links to other hubs</h2>
    <table id="links">
      <thead><tr><th>address</th><th>direction</th><th>state</th><th>remote hub</th><th class="num">in</th><th class="num">out</th><th></th></tr></thead>
      <tbody id="links-body"></tbody>
    </table>
    <form id="link-form">
      <input id="link-address" name="address" placeholder="host, host:port or ws://… of another hub" autocomplete="off" required>
      <button id="link-add" type="submit">Add link</button>
    </form>
    <div id="link-message" role="status"></div>
  </section>
  <section>
    <h2>Drops and rejections</h2>
    <table id="problems">
      <thead><tr><th>what</th><th>reason</th><th class="num">total</th><th class="num">per second</th></tr></thead>
      <tbody id="problems-body"></tbody>
    </table>
  </section>
</main>`,
);

const HUB_SCRIPT = String.raw`
let last;

function linkMessage(text, isError) {
  const node = $('link-message');
  node.textContent = text;
  node.classList.toggle('error', Boolean(isError));
}

async function addLink(event) {
  event.preventDefault();
  const input = $('link-address');
  const address = input.value.trim();
  if (!address) return;
  $('link-add').disabled = true;
  linkMessage('Linking to ' + address + '…');
  try {
    const result = await api('POST', 'interconnect/' + encodeURIComponent(address));
    if (!result.ok) return linkMessage(errorText(result), true);
    const link = result.body;
    linkMessage((result.status === 201 ? 'Linked to ' : 'Already linked to ') + address + ': ' + link.state +
      (link.lastError ? ' (' + link.lastError + ')' : ''));
    input.value = '';
  } catch (error) {
    linkMessage(String(error), true);
  } finally {
    $('link-add').disabled = false;
  }
}

async function removeLink(address) {
  linkMessage('Removing the link to ' + address + '…');
  try {
    const result = await api('DELETE', 'interconnect/' + encodeURIComponent(address));
    linkMessage(result.ok ? 'Removed the link to ' + address : errorText(result), !result.ok);
  } catch (error) {
    linkMessage(String(error), true);
  }
}

function render(status, t) {
  const totals = status.totals;
  const now = {
    t,
    in: sum(totals.eventsIn),
    out: sum(totals.eventsOut),
    dropped: sum(totals.dropped),
    rejected: sum(totals.rejected),
    reasons: {},
    peers: new Map(),
  };
  const { rates, seconds } = sampleRates(now, last, ['in', 'out', 'dropped', 'rejected']);

  $('hub-id').textContent = status.hubId;
  document.title = 'CES hub ' + status.hubId;
  $('version').textContent = status.version;
  $('uptime').textContent = fmtDuration(status.uptimeSeconds);
  for (const key of ['in', 'out', 'dropped', 'rejected']) {
    const node = $('rate-' + key);
    node.textContent = last ? fmtRate(rates[key]) : '–';
    node.dataset.value = String(rates[key]);
    $('total-' + key).textContent = fmtInt(now[key]) + ' total';
  }
  drawChart($('chart'), samples, [
    { key: 'in', cls: 'in' },
    { key: 'out', cls: 'out' },
    { key: 'dropped', cls: 'drop' },
  ], SPAN_SECONDS);

  const peers = [...status.peers.messengers, ...status.peers.repeaters, ...status.peers.hubs];
  $('count-messenger').textContent = status.peers.messengers.length;
  $('count-repeater').textContent = status.peers.repeaters.length;
  $('count-hub').textContent = status.peers.hubs.length;
  fillTable($('peers-body'), peers, (peer) => {
    const before = last && last.peers.get(peer.id);
    now.peers.set(peer.id, peer);
    const rooms = peer.rooms.concat(peer.groups.map((group) => 'group ' + group));
    return [
      peer.kind,
      peer.id + (peer.name ? ' (' + peer.name + ')' : '') + (peer.remoteHubId ? ' (' + peer.remoteHubId + ')' : ''),
      peer.remoteAddress,
      el('td', { class: 'wrap' }, rooms.length > 20 ? rooms.slice(0, 20).join(', ') + ', … (' + rooms.length + ')' : rooms.join(', ')),
      num(fmtRate(rate(peer.eventsIn, before && before.eventsIn, seconds))),
      num(fmtRate(rate(peer.eventsOut, before && before.eventsOut, seconds))),
      num(fmtInt(peer.dropped)),
      num(fmtBytes(peer.bytesQueued)),
      since(peer.connectedAt),
    ];
  }, { empty: 'no peers connected', rowAttrs: (peer) => ({ 'data-peer': peer.id, 'data-kind': peer.kind }) });

  const rooms = Object.entries(status.rooms).sort((a, b) => b[1].subscribers - a[1].subscribers || (a[0] < b[0] ? -1 : 1));
  fillTable($('rooms-body'), rooms, ([room, counts]) => [el('td', { class: 'wrap' }, room), num(counts.subscribers), num(counts.groups)],
    { empty: 'no subscriptions', limit: 200, rowAttrs: ([room]) => ({ 'data-room': room }) });

  fillTable($('links-body'), status.links, (link) => [
    el('td', { class: 'wrap' }, link.address),
    link.direction,
    el('td', { title: link.lastError || '' }, badge(link.state)),
    link.remoteHubId || '–',
    num(fmtInt(link.eventsIn)),
    num(fmtInt(link.eventsOut)),
    link.direction === 'out'
      ? el('td', {}, el('button', { type: 'button', class: 'remove', onclick: () => removeLink(link.address) }, 'Remove'))
      : '',
  ], { empty: 'no links', rowAttrs: (link) => ({ 'data-address': link.address, 'data-state': link.state, 'data-remote-hub': link.remoteHubId }) });

  const problems = [];
  for (const [what, tally] of [['dropped', totals.dropped], ['rejected', totals.rejected]]) {
    for (const [reason, count] of Object.entries(tally)) {
      const key = what + ':' + reason;
      now.reasons[key] = count;
      problems.push([what, reason, count, rate(count, last && last.reasons[key], seconds)]);
    }
  }
  problems.sort((a, b) => b[3] - a[3] || b[2] - a[2]);
  fillTable($('problems-body'), problems, ([what, reason, count, perSecond]) => [what, reason, num(fmtInt(count)), num(fmtRate(perSecond))],
    { empty: 'nothing dropped or rejected' });

  last = now;
}

$('link-form').addEventListener('submit', addLink);
follow(render);
`;

/** The page's script: the shared helpers, then the hub's own part, in one scope. */
export const HUB_DASHBOARD_SCRIPT = `(() => {${DASHBOARD_CLIENT}\n${HUB_SCRIPT}})();\n`;
