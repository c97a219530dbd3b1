import { card, DASHBOARD_CLIENT, dashboardPage, dataTable } from '@ces/server-kit';

const PEERS_CARD = `<div class="cards">
      <div class="card"><div class="label">messengers</div><div class="value" id="count-messenger">–</div></div>
      <div class="card"><div class="label">repeaters</div><div class="value" id="count-repeater">–</div></div>
      <div class="card"><div class="label">hubs</div><div class="value" id="count-hub">–</div></div>
    </div>
    <form id="peer-form" role="search">
      <input id="peer-search" type="search" placeholder="search peers by id, name, kind or address" autocomplete="off">
      <button id="peer-prev" type="button">‹ previous</button>
      <span id="peer-page" class="meta"></span>
      <button id="peer-next" type="button">next ›</button>
    </form>
    <div id="peer-message" class="message" role="status"></div>
    ${dataTable(
      'peers',
      [
        'kind',
        'id',
        'address:address',
        'rooms',
        'in/s:num',
        'out/s:num',
        'dropped:num',
        'queued:num',
        'connected',
        '',
      ],
      'stack many',
    )}`;

const LINKS_CARD = `${dataTable(
  'links',
  ['address:address', 'direction', 'state', 'remote hub', 'in:num', 'out:num', ''],
  'stack',
)}
    <form id="link-form">
      <input id="link-address" name="address" placeholder="host, host:port or ws://… of another hub" autocomplete="off" required>
      <button id="link-add" type="submit">Add link</button>
    </form>
    <div id="link-message" class="message" role="status"></div>`;

/** The hub's dashboard page. Element ids are what the script fills (and what the e2e tests read). */
export const HUB_DASHBOARD_HTML = dashboardPage({
  app: 'hub',
  meta: '<span class="meta">version <span id="version">–</span></span>',
  rates: [
    { key: 'in', label: 'in', cls: 'in', charted: true },
    { key: 'out', label: 'out', cls: 'out', charted: true },
    { key: 'dropped', label: 'dropped', cls: 'drop', charted: true },
    { key: 'rejected', label: 'rejected', cls: 'drop' },
  ],
  cards: [
    card('Peers', PEERS_CARD, { wide: true }),
    card(
      'Top rooms',
      `${dataTable('top-rooms', ['room', 'events/s:num', 'subscribers:num'])}
    <div id="top-rooms-note" class="message"></div>`,
    ),
    card(
      'Subscribed rooms',
      `${dataTable('rooms', ['room', 'subscribers:num', 'groups:num'])}
    <div id="rooms-note" class="message"></div>`,
    ),
    card('Links to other hubs', LINKS_CARD),
    card('Cluster (NATS)', dataTable('cluster', ['what', 'value'])),
    card(
      'Drops and rejections',
      dataTable('problems', ['what', 'reason', 'total:num', 'per second:num']),
    ),
  ],
});

const HUB_SCRIPT = String.raw`
let last;

async function addLink(event) {
  event.preventDefault();
  const input = $('link-address');
  const address = input.value.trim();
  if (!address) return;
  $('link-add').disabled = true;
  say('link-message', 'Linking to ' + address + '…');
  try {
    const result = await api('POST', 'interconnect/' + encodeURIComponent(address));
    if (!result.ok) return say('link-message', errorText(result), true);
    const link = result.body;
    say('link-message', (result.status === 201 ? 'Linked to ' : 'Already linked to ') + address + ': ' + link.state +
      (link.lastError ? ' (' + link.lastError + ')' : ''));
    input.value = '';
  } catch (error) {
    say('link-message', String(error), true);
  } finally {
    $('link-add').disabled = false;
  }
}

async function removeLink(address) {
  say('link-message', 'Removing the link to ' + address + '…');
  try {
    const result = await api('DELETE', 'interconnect/' + encodeURIComponent(address));
    say('link-message', result.ok ? 'Removed the link to ' + address : errorText(result), !result.ok);
  } catch (error) {
    say('link-message', String(error), true);
  }
}

// The peers table shows one page of a search the hub runs (GET peers): never thousands of rows.
const PEER_PAGE_SIZE = 50;
const peerView = { q: '', offset: 0, loading: false, again: false, before: new Map(), at: 0, timer: undefined };

async function loadPeers() {
  if (peerView.loading) {
    peerView.again = true;
    return;
  }
  peerView.loading = true;
  try {
    const result = await api('GET', 'peers?q=' + encodeURIComponent(peerView.q) + '&offset=' + peerView.offset + '&limit=' + PEER_PAGE_SIZE);
    if (result.ok) showPeers(result.body);
    else say('peer-message', errorText(result), true);
  } catch (error) {
    say('peer-message', String(error), true);
  } finally {
    peerView.loading = false;
    if (peerView.again) {
      peerView.again = false;
      loadPeers();
    }
  }
}

function showPeers(page) {
  if (page.peers.length === 0 && page.offset > 0 && page.matched > 0) {
    // Peers left, and this page is past the end now: show the last one.
    peerView.offset = Math.floor((page.matched - 1) / PEER_PAGE_SIZE) * PEER_PAGE_SIZE;
    peerView.again = true;
    return;
  }
  const seconds = peerView.at ? (page.at - peerView.at) / 1000 : 0;
  const before = peerView.before;
  const seen = new Map();
  $('peer-page').textContent = page.matched === 0 ? '' :
    (page.offset + 1) + '–' + (page.offset + page.peers.length) + ' of ' + fmtInt(page.matched) +
    (page.matched !== page.total ? ' matching (' + fmtInt(page.total) + ' peers)' : '');
  $('peer-prev').disabled = page.offset === 0;
  $('peer-next').disabled = page.offset + page.peers.length >= page.matched;
  fillTable($('peers-body'), page.peers, (peer) => {
    const previous = before.get(peer.id);
    seen.set(peer.id, peer);
    const rooms = peer.rooms.concat(peer.groups.map((group) => 'group ' + group));
    return [
      peer.kind,
      el('td', { class: 'wrap' }, peer.id + (peer.name ? ' (' + peer.name + ')' : '') + (peer.remoteHubId ? ' (' + peer.remoteHubId + ')' : '')),
      clipped(peer.remoteAddress),
      el('td', { class: 'wrap' }, rooms.length > 20 ? rooms.slice(0, 20).join(', ') + ', … (' + rooms.length + ')' : rooms.join(', ')),
      num(fmtRate(rate(peer.eventsIn, previous && previous.eventsIn, seconds))),
      num(fmtRate(rate(peer.eventsOut, previous && previous.eventsOut, seconds))),
      num(fmtInt(peer.dropped)),
      num(fmtBytes(peer.bytesQueued)),
      since(peer.connectedAt),
      el('td', {}, el('button', { type: 'button', class: 'disconnect', onclick: () => disconnectPeer(peer.id) }, 'Disconnect')),
    ];
  }, { empty: peerView.q ? 'no peer matches' : 'no peers connected', rowAttrs: (peer) => ({ 'data-peer': peer.id, 'data-kind': peer.kind }) });
  peerView.before = seen;
  peerView.at = page.at;
}

function searchPeers() {
  clearTimeout(peerView.timer);
  peerView.timer = setTimeout(() => {
    peerView.q = $('peer-search').value.trim();
    peerView.offset = 0;
    loadPeers();
  }, 200);
}

function turnPeerPage(by) {
  peerView.offset = Math.max(0, peerView.offset + by * PEER_PAGE_SIZE);
  loadPeers();
}

async function disconnectPeer(id) {
  say('peer-message', 'Disconnecting ' + id + '…');
  try {
    const result = await api('DELETE', 'peers/' + encodeURIComponent(id));
    say('peer-message', result.ok ? 'Disconnected ' + id : errorText(result), !result.ok);
    loadPeers();
  } catch (error) {
    say('peer-message', String(error), true);
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
  };
  const { seconds } = showReading('hub', status.hubId, status.uptimeSeconds, now, last, ['in', 'out', 'dropped', 'rejected'], [
    { key: 'in', cls: 'in' },
    { key: 'out', cls: 'out' },
    { key: 'dropped', cls: 'drop' },
  ]);
  $('version').textContent = status.version;

  $('count-messenger').textContent = status.peerCounts.messenger;
  $('count-repeater').textContent = status.peerCounts.repeater;
  $('count-hub').textContent = status.peerCounts.hub;
  loadPeers();

  const top = status.topRooms;
  fillTable($('top-rooms-body'), top.rooms, (entry) => [
    el('td', { class: 'wrap' }, entry.room),
    num(fmtRate(entry.perSecond)),
    num(entry.subscribers + (entry.groups ? ' + ' + entry.groups + ' group' + (entry.groups > 1 ? 's' : '') : '')),
  ], { empty: 'no events in the last second', rowAttrs: (entry) => ({ 'data-room': entry.room, 'data-rate': entry.perSecond }) });
  $('top-rooms-note').textContent = top.untrackedPerSecond > 0
    ? 'and ' + fmtRate(top.untrackedPerSecond) + '/s in rooms not tracked (at most ' + fmtInt(top.capacity) + ' rooms are)'
    : '';

  const rooms = Object.entries(status.rooms).sort((a, b) => b[1].subscribers - a[1].subscribers || (a[0] < b[0] ? -1 : 1));
  fillTable($('rooms-body'), rooms, ([room, counts]) => [el('td', { class: 'wrap' }, room), num(counts.subscribers), num(counts.groups)],
    { empty: 'no subscriptions', limit: 200, rowAttrs: ([room]) => ({ 'data-room': room }) });
  $('rooms-note').textContent = status.roomCount > rooms.length
    ? 'the ' + rooms.length + ' with the most subscribers of ' + fmtInt(status.roomCount) + ' rooms'
    : '';

  fillTable($('links-body'), status.links, (link) => [
    clipped(link.address),
    link.direction,
    el('td', { title: link.lastError || '' }, badge(link.state)),
    el('td', { class: 'wrap' }, link.remoteHubId || '–'),
    num(fmtInt(link.eventsIn)),
    num(fmtInt(link.eventsOut)),
    link.direction === 'out'
      ? el('td', {}, el('button', { type: 'button', class: 'remove', onclick: () => removeLink(link.address) }, 'Remove'))
      : '',
  ], { empty: 'no links', rowAttrs: (link) => ({ 'data-address': link.address, 'data-state': link.state, 'data-remote-hub': link.remoteHubId }) });

  const cluster = status.cluster;
  const clusterRows = cluster ? [
    ['state', cluster.state === 'connected' && cluster.groupsState === 'connected' ? 'connected' : 'degraded: events ' + cluster.state + ', groups ' + cluster.groupsState],
    ['server', cluster.server || '–'],
    ['subscriptions', fmtInt(cluster.subscriptions.rooms) + ' rooms' + (cluster.subscriptions.everything ? ' (*)' : '') + ', ' + fmtInt(cluster.subscriptions.groups) + ' groups'],
    ['published', fmtInt(cluster.published)],
    ['received', fmtInt(cluster.received.rooms) + ' for rooms, ' + fmtInt(cluster.received.groups) + ' for groups'],
    ['waiting for NATS', fmtInt(cluster.buffer.events) + ' of ' + fmtInt(cluster.buffer.maxEvents) + ' events'],
    ['dropped, buffer full', fmtInt(cluster.buffer.overflowed)],
  ] : [];
  fillTable($('cluster-body'), clusterRows, ([what, value]) => [what, el('td', { class: 'wrap' }, value)],
    { empty: 'cluster mode is off', rowAttrs: ([what]) => ({ 'data-what': what }) });

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
$('peer-form').addEventListener('submit', (event) => event.preventDefault());
$('peer-search').addEventListener('input', searchPeers);
$('peer-prev').addEventListener('click', () => turnPeerPage(-1));
$('peer-next').addEventListener('click', () => turnPeerPage(1));
follow(render);
`;

/** The page's script: the shared helpers, then the hub's own part, in one scope. */
export const HUB_DASHBOARD_SCRIPT = `(() => {${DASHBOARD_CLIENT}\n${HUB_SCRIPT}})();\n`;
