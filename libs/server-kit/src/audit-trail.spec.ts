import { Writable } from 'node:stream';
import { AuditTrail } from './audit-trail';

const options = { target: 'memory', maxBytes: 0, maxFiles: 1, queueLimit: 5 };

describe('AuditTrail', () => {
  it('writes one JSON line per entry, describing lazily on the writer’s turn', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const trail = new AuditTrail(options, sink);
    let described = false;
    trail.record({ room: 'R', outcome: 'routed' });
    trail.record(() => ((described = true), { room: 'S' }));
    expect(described).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { room: 'R', outcome: 'routed' },
      { room: 'S' },
    ]);
    expect(trail.stats).toEqual({ written: 2, dropped: 0 });
  });

  it('drops and counts lines when the writer stalls, and never blocks the caller', async () => {
    const stalled = new Writable({ highWaterMark: 1, write: () => undefined });
    const trail = new AuditTrail(options, stalled);
    for (let i = 0; i < 1000; i++) trail.record({ i });
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 1000; i++) trail.record({ i });
    expect(trail.queued).toBe(5);
    expect(trail.stats.written).toBe(1);
    expect(trail.stats.dropped).toBe(2000 - 6);
  });
});
