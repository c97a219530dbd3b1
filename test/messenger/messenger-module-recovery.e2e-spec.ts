import { Test, TestingModule } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { MessengerModule, MessengerService } from '@ces/messenger/nest';
import type { RoomRecovery } from '@ces/messenger';
import { getJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

describe('MessengerModule with recover', () => {
  let hub: TestHub;
  let app: TestingModule | undefined;
  let publisher: WsPeer | undefined;

  beforeEach(async () => {
    hub = await startHub({ HUB_HISTORY_ROOMS: 'H-*' });
  });

  afterEach(async () => {
    await publisher?.close();
    await app?.close();
    app = undefined;
    await hub.close();
  });

  it('tells the app, through MessengerService, each room it resumed after a reconnect', async () => {
    app = await Test.createTestingModule({
      imports: [
        MessengerModule.forRoot({
          hubUrl: hub.url,
          name: 'nest-resumer',
          rooms: ['H-1'],
          recover: true,
          reconnect: { initialDelayMs: 50, maxDelayMs: 50 },
          waitForConnection: true,
        }),
      ],
    }).compile();
    await app.init();
    const messenger = app.get(MessengerService);
    const handled: RoomRecovery[] = [];
    messenger.onRecovery((recovery) => handled.push(recovery));
    const next = firstValueFrom(messenger.recoveries$);
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).rooms['H-1']?.subscribers === 1,
      'the subscription',
    );
    publisher = await WsPeer.connect(`${hub.url}/connect/messenger`);
    const got = firstValueFrom(messenger.events$);
    publisher.send('H-1', { n: 1 });
    expect((await got).position?.offset).toBe(1);

    const page = (await getJson(`${hub.httpUrl}/peers?q=nest-resumer`)) as {
      peers: { id: string }[];
    };
    expect(
      (await fetch(`${hub.httpUrl}/peers/${page.peers[0].id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    const recovery = await next;
    expect(recovery).toMatchObject({ room: 'H-1', recovered: true, events: 0 });
    expect(recovery.position.offset).toBe(1);
    expect(handled).toEqual([recovery]);
  });
});
