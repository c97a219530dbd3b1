import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import {
  MessengerModule,
  MessengerService,
  OnAnyRoomEvent,
  OnRoomEvent,
} from '@ces/messenger/nest';
import { MessengerHealthIndicator } from '@ces/messenger/nest/health';
import { getJson } from '../support/http';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';
import { WsPeer } from '../support/ws-peer';

@Injectable()
class RoomWatcher {
  readonly seen: { room: string; event: unknown }[] = [];
  readonly everywhere: string[] = [];

  @OnRoomEvent('ITB-1101')
  onRoom(room: string, event: unknown): void {
    this.seen.push({ room, event });
  }

  @OnAnyRoomEvent()
  async onAny(room: string): Promise<void> {
    this.everywhere.push(room);
    if (room === 'BOOM') throw new Error('handler failure is logged, not fatal');
  }
}

describe('MessengerModule in a Nest app', () => {
  let hub: TestHub;
  let app: TestingModule | undefined;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await hub.close();
  });

  it('calls @OnRoomEvent handlers with matching events, survives handler errors, and closes on shutdown', async () => {
    app = await Test.createTestingModule({
      imports: [MessengerModule.forRoot({ hubUrl: hub.url, waitForConnection: true })],
      providers: [RoomWatcher],
    }).compile();
    await app.init();
    const watcher = app.get(RoomWatcher);
    await waitFor(async () => {
      const rooms = (await getJson(`${hub.httpUrl}/status`)).rooms;
      return rooms['ITB-1101']?.subscribers === 1 && rooms['*']?.subscribers === 1;
    }, 'the decorators’ subscriptions');

    const outside = await WsPeer.connect(`${hub.url}/connect/messenger`);
    outside.send('BOOM', { n: 0 });
    outside.send('ITB-1101', { n: 1 });
    outside.send('JFSB-1', { n: 2 });
    await waitFor(() => watcher.everywhere.length === 3, 'the catch-all handler');
    expect(watcher.seen).toEqual([{ room: 'ITB-1101', event: { n: 1 } }]);
    expect(watcher.everywhere).toEqual(['BOOM', 'ITB-1101', 'JFSB-1']);

    app.get(MessengerService).send('ITB-1101', { from: 'nest' });
    await outside.subscribe(['ITB-1101']);
    app.get(MessengerService).send('ITB-1101', { from: 'nest' });
    expect((await outside.waitForEvents(1))[0].event).toEqual({ from: 'nest' });

    await app.close();
    app = undefined;
    await waitFor(
      async () => (await getJson(`${hub.httpUrl}/status`)).peers.messengers.length === 1,
      'the socket to close',
    );
    await outside.close();
  });

  it('reads the hub address from ConfigService with forRootAsync, and reports health', async () => {
    @Module({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ CES_HUB_URL: hub.url })] }),
        MessengerModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            hubUrl: config.getOrThrow('CES_HUB_URL'),
            rooms: ['R'],
          }),
        }),
        TerminusModule,
      ],
      providers: [MessengerHealthIndicator],
    })
    class AppModule {}
    app = await Test.createTestingModule({ imports: [AppModule] }).compile();
    await app.init();
    const health = app.get(MessengerHealthIndicator);
    await waitFor(() => health.isHealthy().messenger.status === 'up', 'the connection');
    expect((await getJson(`${hub.httpUrl}/status`)).peers.messengers[0].rooms).toEqual(['R']);
  });

  it('starts without waiting when the hub is down, and connects when it comes', async () => {
    const port = hub.port;
    await hub.close();
    app = await Test.createTestingModule({
      imports: [
        MessengerModule.forRoot({
          hubUrl: `ws://127.0.0.1:${port}`,
          rooms: ['R'],
          reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
        }),
      ],
    }).compile();
    await app.init();
    const messenger = app.get(MessengerService);
    expect(messenger.state).not.toBe('open');
    hub = await startHub({ HUB_PORT: port });
    await waitFor(() => messenger.state === 'open', 'the connection', 10000);
  });
});
