import { firstValueFrom, take, toArray } from 'rxjs';
import { LiveDocument } from './live-document';

describe('LiveDocument', () => {
  it('sends the document at once, then once a tick, built once for every follower', async () => {
    let built = 0;
    const live = new LiveDocument(() => ({ n: ++built }), 20);
    const [a, b] = await Promise.all([
      firstValueFrom(live.events().pipe(take(3), toArray())),
      firstValueFrom(live.events().pipe(take(3), toArray())),
    ]);
    expect(a[0].data).toEqual({ n: 1 });
    expect(b[0].data).toEqual({ n: 2 });
    // The ticks after the first message are shared.
    expect(a.slice(1).map((m) => m.data)).toEqual(b.slice(1).map((m) => m.data));
    expect(Number(a[0].id)).toBeGreaterThan(0);
    live.stop();
  });

  it('ends every stream when stopped, and any opened later at once', async () => {
    const live = new LiveDocument(() => ({}), 10);
    const open = firstValueFrom(live.events().pipe(toArray()));
    live.stop();
    await expect(open).resolves.toHaveLength(1);
    await expect(firstValueFrom(live.events().pipe(toArray()))).resolves.toEqual([]);
  });

  it('skips a tick whose document could not be built', async () => {
    let calls = 0;
    const live = new LiveDocument(() => {
      if (++calls === 2) throw new Error('boom');
      return { calls };
    }, 10);
    const messages = await firstValueFrom(live.events().pipe(take(2), toArray()));
    expect(messages.map((m) => m.data)).toEqual([{ calls: 1 }, { calls: 3 }]);
    live.stop();
  });
});
