import { Test, TestingModule } from '@nestjs/testing';
import { PublishRefusedError } from '@ces/messenger';
import { MessengerModule, MessengerService } from '@ces/messenger/nest';
import { startHub, TestHub } from '../support/hub-harness';
import { signTestJwt, TEST_JWT_SECRET } from '../support/tokens';

describe('MessengerModule with publish confirms', () => {
  let hub: TestHub;
  let app: TestingModule | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await hub.close();
  });

  it('passes the option through: publish settles on the hub’s confirm or refusal', async () => {
    hub = await startHub({ HUB_JWT_SECRET: TEST_JWT_SECRET });
    const token = await signTestJwt({ kinds: ['messenger'], rooms: { publish: ['R'] } });
    app = await Test.createTestingModule({
      imports: [
        MessengerModule.forRoot({
          hubUrl: hub.url,
          token,
          confirms: true,
          waitForConnection: true,
        }),
      ],
    }).compile();
    await app.init();
    const messenger = app.get(MessengerService);
    await expect(messenger.publish('R', { n: 1 })).resolves.toBeUndefined();
    const refused = messenger.publish('S', { n: 2 });
    await expect(refused).rejects.toBeInstanceOf(PublishRefusedError);
    await expect(refused).rejects.toMatchObject({ reason: 'publish-forbidden' });
    expect(messenger.stats().buffered).toBe(0);
  });
});
