import { HubCounters } from './hub-counters';

describe('HubCounters', () => {
  it('keeps refused requests apart from rejected frames; the snapshot lists both as rejected', () => {
    const counters = new HubCounters();
    counters.reject('no-newline');
    counters.reject('publish-forbidden');
    counters.refuse('publish-forbidden');
    counters.refuse('upgrade-origin');
    expect(counters.rejected).toEqual({ 'no-newline': 1, 'publish-forbidden': 1 });
    expect(counters.refused).toEqual({ 'publish-forbidden': 1, 'upgrade-origin': 1 });
    const { rejected, refused } = counters.snapshot();
    expect(rejected).toEqual({ 'no-newline': 1, 'publish-forbidden': 2, 'upgrade-origin': 1 });
    expect(refused).toEqual(counters.refused);
  });

  it('counts closes by kind and labelled code, and keeps the bytes of the peers gone', () => {
    const counters = new HubCounters();
    counters.connectionOpened('messenger');
    counters.connectionOpened('messenger');
    counters.connectionClosed({ kind: 'messenger', bytesIn: 10, bytesOut: 30 }, 1000);
    counters.connectionClosed({ kind: 'messenger', bytesIn: 5, bytesOut: 0 }, 4999);
    expect(counters.opened).toEqual({ messenger: 2 });
    expect(counters.closed).toEqual({ messenger: { 1000: 1, other: 1 } });
    expect(counters.closedBytesIn).toEqual({ messenger: 15 });
    expect(counters.closedBytesOut).toEqual({ messenger: 30 });
  });
});
