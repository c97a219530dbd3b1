import { MessengerClient } from '@ces/messenger';
import { e2eFixtures } from '../support/fixtures';
import { signTestJwt, TEST_JWT_SECRET } from '../support/tokens';
import { waitFor } from '../support/wait-for';

describe('a messenger whose token expires', () => {
  const { hub: start, track } = e2eFixtures();

  it('asks its token function again and keeps receiving after the hub closes it with 4401', async () => {
    const hub = await start({ HUB_JWT_SECRET: TEST_JWT_SECRET });
    let asked = 0;
    const token = () => {
      asked++;
      // The first token lives two seconds; the ones after it an hour.
      const lifetime = asked === 1 ? 2 : 3600;
      return signTestJwt({}, { expiresIn: Math.floor(Date.now() / 1000) + lifetime });
    };
    const receiver = track(new MessengerClient({ hubUrl: hub.url, rooms: ['R'], token }));
    const received: unknown[] = [];
    receiver.on('event', (_room, event) => received.push(event));
    await receiver.connect();
    await waitFor(
      () => asked >= 2 && receiver.state === 'open',
      'a reconnect with a new token',
      8000,
    );
    const sender = track(new MessengerClient({ hubUrl: hub.url, token }));
    await sender.connect();
    sender.send('R', { after: 'refresh' });
    await waitFor(() => received.length === 1, 'the event after the refresh');
    expect(received).toEqual([{ after: 'refresh' }]);
  });
});
