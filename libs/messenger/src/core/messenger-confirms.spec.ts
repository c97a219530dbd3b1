import { memoryPlatform, settled, tick } from './memory-platform.fixture';
import { MessengerCore } from './messenger-core';
import { MessengerOptions } from './messenger-options';
import { PublishRefusedError } from './publish-confirms';

const outcome = (promise: Promise<void>) => settled(promise, 'confirmed');

describe('MessengerCore with publish confirms', () => {
  const clients: MessengerCore[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function connected(options: Partial<MessengerOptions> = {}) {
    const memory = memoryPlatform();
    const client = new MessengerCore(
      { hubUrl: 'hub-a', confirms: true, rooms: ['S'], ...options },
      memory.platform,
    );
    clients.push(client);
    const opened = client.connect();
    memory.sockets[0].open();
    await opened;
    return { client, ...memory };
  }

  it('asks for confirms before anything else, and settles publish on the hub’s word', async () => {
    const { client, sockets } = await connected();
    const [request] = sockets[0].written;
    const { publisher } = (JSON.parse(request) as { confirm: { publisher: string } }).confirm;
    expect(request).toBe(JSON.stringify({ confirm: { publisher, next: 1 } }));
    expect(publisher).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    const first = outcome(client.publish('R', { n: 1 }));
    const second = outcome(client.publish('R', { n: 2 }));
    expect(sockets[0].written.slice(2)).toEqual(['frame:{"n":1}', 'frame:{"n":2}']);
    sockets[0].hubSays({ confirm: { publisher, taken: 0 } });
    sockets[0].hubSays({ refused: { seq: 2, reason: 'publish-forbidden', message: 'not R' } });
    sockets[0].hubSays({ confirmed: 2 });
    await tick();
    expect(first.value).toBe('confirmed');
    expect(second.value).toBeInstanceOf(PublishRefusedError);
    expect(second.value).toMatchObject({ reason: 'publish-forbidden', message: 'not R' });
    expect(client.stats().buffered).toBe(0);
  });

  it('sends what was not confirmed again after a reconnect, from its sequence', async () => {
    const { client, sockets } = await connected({ reconnect: { initialDelayMs: 1, jitter: 0 } });
    const publisher = (JSON.parse(sockets[0].written[0]) as { confirm: { publisher: string } })
      .confirm.publisher;
    const states = [1, 2, 3].map((n) => outcome(client.publish('R', { n })));
    sockets[0].hubSays({ confirmed: 1 });
    sockets[0].drop();
    expect(client.stats().buffered).toBe(2);
    const later = outcome(client.publish('R', { n: 4 }));
    while (sockets.length < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    sockets[1].open();
    expect(sockets[1].written).toEqual([
      JSON.stringify({ confirm: { publisher, next: 2 } }),
      '{"rooms":["S"],"create":true}',
      'frame:{"n":2}',
      'frame:{"n":3}',
      'frame:{"n":4}',
    ]);
    sockets[1].hubSays({ confirmed: 4 });
    await tick();
    expect([...states, later].map((s) => s.value)).toEqual(Array(4).fill('confirmed'));
  });

  it('rejects a publish the buffer cannot hold, and reports a failed send as an error', async () => {
    const { client } = await connected({ bufferLimit: 1 });
    const errors: Error[] = [];
    client.on('error', (error) => errors.push(error));
    const held = client.publish('R', { n: 1 });
    await expect(client.publish('R', { n: 2 })).rejects.toThrow('the publish buffer is full');
    client.send('R', { n: 3 });
    await tick();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('the publish buffer is full'),
    ]);
    await client.close();
    await expect(held).rejects.toThrow('the messenger was closed before the hub confirmed');
  });

  it('without the option, publish is send: no confirm request, and it resolves at once', async () => {
    const { client, sockets } = await connected({ confirms: false });
    await client.publish('R', { n: 1 });
    expect(sockets[0].written).toEqual(['{"rooms":["S"],"create":true}', 'frame:{"n":1}']);
  });

  it('refuses the option for a repeater', () => {
    const { platform } = memoryPlatform();
    expect(
      () => new MessengerCore({ hubUrl: 'hub-a', kind: 'repeater', confirms: true }, platform),
    ).toThrow('confirms are for messengers');
  });
});
