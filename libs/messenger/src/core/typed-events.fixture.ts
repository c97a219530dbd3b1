// Compiled by typed-events.spec.ts: every line after a `@ts-expect-error` must fail to
// compile, and nothing else may. `tsc --noEmit` over the repo checks the same directives.
import { MessengerClient, RoomEvent } from '@ces/messenger';
import { OnRoomEvent } from '@ces/messenger/nest';

interface Reading {
  value: number;
}

const client = new MessengerClient<Reading>({ hubUrl: 'localhost' });
const raw = new MessengerClient<Buffer>({ hubUrl: 'localhost', raw: true });

// The room comes first, then the event, typed by the client.
client.on('event', (room, event) => event.value.toFixed(room.length));
client.onEvent((room: string, event: Reading) => `${room}${event.value}`);
client.on('frame', (room: string, frame: Buffer) => frame.length + room.length);
client.on('state', (state) => state === 'open');
client.on('drop', (count: number) => count);
client.on('error', (error: Error) => error.message);
raw.on('event', (_room, event) => event.subarray(0));
const first: Promise<IteratorResult<RoomEvent<Reading>>> = client[Symbol.asyncIterator]().next();
void first;

// @ts-expect-error a misspelt event name
client.on('evnet', () => undefined);
// @ts-expect-error the event before the room: the old order of the Nest handlers
client.on('event', (event: Reading, room: string) => `${event.value}${room}`);
// @ts-expect-error an event of another type
client.onEvent((_room: string, event: { name: string }) => event.name);
// @ts-expect-error a room that is not a string
client.onEvent((room: number) => room);
// @ts-expect-error a state is not a number
client.on('state', (state: number) => state);
// @ts-expect-error the drop count is not a string
client.on('drop', (count: string) => count);
// @ts-expect-error raw frames are bytes
client.on('frame', (_room: string, frame: string) => frame);
// @ts-expect-error no such method: listeners are added with on()
client.addListener('event', () => undefined);
// @ts-expect-error only the client emits its events
client.emit('event', 'R', { value: 1 });
// @ts-expect-error a raw event is bytes, not parsed JSON
raw.on('event', (_room, event) => event.value);

export class Handlers {
  @OnRoomEvent('ITB-1101')
  onRoom(room: string, event: Reading): number {
    return room.length + event.value;
  }

  // @ts-expect-error the event before the room
  @OnRoomEvent('ITB-1101')
  onRoomOldOrder(event: Reading, room: string): number {
    return room.length + event.value;
  }
}
