import * as output from './output';

describe('output', () => {
  it('prints an event as one JSON line, keeping its text when it is one line', () => {
    expect(output.eventLine('R', Buffer.from('{"n":12345678901234567890}'))).toBe(
      '{"room":"R","event":{"n":12345678901234567890}}\n',
    );
    expect(output.eventLine('R', Buffer.from('{\n  "a": [1,\n 2]\n}\n'))).toBe(
      '{"room":"R","event":{"a":[1,2]}}\n',
    );
    expect(output.eventLine('a"b', Buffer.from('7'))).toBe('{"room":"a\\"b","event":7}\n');
    expect(output.eventLine('R', Buffer.from('not json'))).toBeUndefined();
  });

  it('formats durations', () => {
    expect(output.formatDuration(42)).toBe('42s');
    expect(output.formatDuration(3725)).toBe('1h 02m 05s');
    expect(output.formatDuration(90061)).toBe('1d 01h 01m');
  });

  it('aligns tables', () => {
    expect(
      output.formatTable(
        [
          ['A', 'BB'],
          ['CCC', 'D'],
        ],
        '  ',
      ),
    ).toBe('  A    BB\n  CCC  D');
  });

  it('summarizes /status: hub, peers by kind with rooms, rooms, links, totals', () => {
    const text = output.formatStatus({
      hubId: 'hub-a',
      version: '0.1.0',
      uptimeSeconds: 65,
      peers: {
        messengers: [
          {
            id: 'messenger-1',
            remoteAddress: '10.0.0.9',
            rooms: ['ITB-1101'],
            groups: ['loggers'],
            eventsIn: 3,
            eventsOut: 4,
            dropped: 0,
          },
          {
            id: 'messenger-2',
            name: 'billing-worker',
            remoteAddress: '10.0.0.8',
            rooms: [],
            groups: [],
            eventsIn: 0,
            eventsOut: 0,
            dropped: 0,
          },
        ],
        repeaters: [],
        hubs: [],
      },
      rooms: { 'ITB-1101': { subscribers: 1, groups: 1 } },
      links: [{ direction: 'out', state: 'open', address: 'hub-b:7100', remoteHubId: 'hub-b' }],
      totals: { dropped: { 'slow-consumer': 2 }, rejected: {} },
    });
    expect(text).toContain('hub hub-a (version 0.1.0)');
    expect(text).toContain('up 1m 05s');
    expect(text).toMatch(
      /messengers: 2\n.*ID.*ROOMS\n.*messenger-1 +10\.0\.0\.9 +3 +4 +0 +ITB-1101, group:loggers/,
    );
    expect(text).toMatch(/messenger-2 \(billing-worker\) +10\.0\.0\.8/);
    expect(text).toContain('ITB-1101  1 subscriber  1 group');
    expect(text).toMatch(/out +open +hub-b:7100 +hub-b/);
    expect(text).toContain('dropped:    slow-consumer 2');
    expect(text).toContain('rejected:   none');
  });

  it('survives a /status it does not know', () => {
    expect(output.formatStatus({ hubId: 'h' })).toContain('hub h');
    expect(output.formatStatus(null)).toContain('hub -');
    expect(output.formatLinks([])).toBe('no links');
  });

  it('summarizes the /status of a repeater: uplink, outside connections, targets, totals', () => {
    const document = {
      repeaterId: 'repeater-1',
      uptimeSeconds: 5,
      uplink: {
        hubUrl: 'ws://hub:7100',
        state: 'open',
        sent: 3,
        received: 4,
        buffered: 0,
        dropped: 0,
        reconnects: 0,
      },
      connections: [
        {
          id: 'c1',
          room: 'ITB-1101',
          remoteAddress: '10.0.0.7',
          idleMs: 2000,
          eventsIn: 1,
          eventsOut: 2,
          rejected: 0,
        },
      ],
      targets: [
        {
          address: 'http://t/events',
          kind: 'http',
          state: 'failing',
          queued: 2,
          sent: 1,
          failed: 3,
          dropped: 0,
          lastError: 'HTTP 503',
        },
      ],
      totals: { events: { in: 3 }, rejected: {} },
    };
    expect(output.isRepeaterStatus(document)).toBe(true);
    expect(output.isRepeaterStatus({ hubId: 'h' })).toBe(false);
    const text = output.formatRepeaterStatus(document);
    expect(text).toContain('repeater repeater-1\n  up 5s');
    expect(text).toContain(
      'uplink: open to ws://hub:7100\n  sent 3, received 4, buffered 0, dropped 0, reconnects 0',
    );
    expect(text).toMatch(
      /outside connections: 1\n +ROOM +ID .*\n +ITB-1101 +c1 +10\.0\.0\.7 +2s +1 +2 +0/,
    );
    expect(text).toMatch(
      /targets: 1\n +TARGET .*LAST ERROR\n +http:\/\/t\/events +failing +2 +1 +3 +0 +HTTP 503/,
    );
    expect(text).toContain('events:     in 3');
    expect(output.formatRepeaterStatus({ repeaterId: 'r' })).toContain('uplink: - to -');
  });
});
