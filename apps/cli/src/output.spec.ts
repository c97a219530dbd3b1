import { eventLine, formatDuration, formatLinks, formatStatus, formatTable } from './output';

describe('output', () => {
  it('prints an event as one JSON line, keeping its text when it is one line', () => {
    expect(eventLine('R', Buffer.from('{"n":12345678901234567890}'))).toBe(
      '{"room":"R","event":{"n":12345678901234567890}}\n',
    );
    expect(eventLine('R', Buffer.from('{\n  "a": [1,\n 2]\n}\n'))).toBe(
      '{"room":"R","event":{"a":[1,2]}}\n',
    );
    expect(eventLine('a"b', Buffer.from('7'))).toBe('{"room":"a\\"b","event":7}\n');
    expect(eventLine('R', Buffer.from('not json'))).toBeUndefined();
  });

  it('formats durations', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(3725)).toBe('1h 02m 05s');
    expect(formatDuration(90061)).toBe('1d 01h 01m');
  });

  it('aligns tables', () => {
    expect(
      formatTable(
        [
          ['A', 'BB'],
          ['CCC', 'D'],
        ],
        '  ',
      ),
    ).toBe('  A    BB\n  CCC  D');
  });

  it('summarizes /status: hub, peers by kind with rooms, rooms, links, totals', () => {
    const text = formatStatus({
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
      /messengers: 1\n.*ID.*ROOMS\n.*messenger-1 +10\.0\.0\.9 +3 +4 +0 +ITB-1101, group:loggers/,
    );
    expect(text).toContain('ITB-1101  1 subscriber  1 group');
    expect(text).toMatch(/out +open +hub-b:7100 +hub-b/);
    expect(text).toContain('dropped:    slow-consumer 2');
    expect(text).toContain('rejected:   none');
  });

  it('survives a /status it does not know', () => {
    expect(formatStatus({ hubId: 'h' })).toContain('hub h');
    expect(formatStatus(null)).toContain('hub -');
    expect(formatLinks([])).toBe('no links');
  });
});
