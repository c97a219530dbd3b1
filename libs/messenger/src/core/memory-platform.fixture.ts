import { decodeFrameBytes, encodeFrameBytes, isValidRoomBytes, utf8Text } from '@ces/protocol';
import { DialOptions, HubSocket, HubSocketHandlers } from './hub-socket';
import { MessengerPlatform } from './messenger-platform';

/** A socket in memory: the test opens it, feeds it frames and reads what the client sent. */
export class MemorySocket implements HubSocket {
  readonly sent: (Uint8Array | string)[] = [];
  isOpen = false;
  bufferedAmount = 0;

  constructor(
    readonly options: DialOptions,
    private readonly handlers: HubSocketHandlers,
  ) {}

  open(): void {
    this.isOpen = true;
    this.handlers.open();
  }

  /** An event frame from the hub. */
  receive(room: string, event: unknown): void {
    this.handlers.message(encodeFrameBytes(room, event));
  }

  /** A frame exactly as given, for frames no encoder would build. */
  receiveFrame(text: string): void {
    this.handlers.message(new TextEncoder().encode(text));
  }

  /** A text control message from the hub. */
  hubSays(message: unknown): void {
    this.handlers.message(JSON.stringify(message));
  }

  send(data: Uint8Array | string): void {
    this.sent.push(data);
  }

  close(): void {
    this.drop();
  }

  terminate(): void {
    this.drop();
  }

  drop(): void {
    this.isOpen = false;
    this.handlers.closed();
  }

  get texts(): string[] {
    return this.sent.filter((item): item is string => typeof item === 'string');
  }

  get frames(): string[] {
    return this.sent
      .filter((item) => typeof item !== 'string')
      .map((f) => utf8Text(f as Uint8Array));
  }

  /** What the client wrote, texts as they are and event frames as `frame:<event>`. */
  get written(): string[] {
    return this.sent.map((item) =>
      typeof item === 'string' ? item : `frame:${utf8Text(decodeFrameBytes(item).event)}`,
    );
  }
}

/** A platform whose dials make memory sockets, in `sockets`; `decodes` counts full decodes. */
export function memoryPlatform() {
  const sockets: MemorySocket[] = [];
  let decodes = 0;
  const platform: MessengerPlatform = {
    dial: (options, handlers) => {
      const socket = new MemorySocket(options, handlers);
      sockets.push(socket);
      return socket;
    },
    codec: {
      encode: encodeFrameBytes,
      room: (frame) => decodeFrameBytes(frame).room,
      decode: (frame) => {
        decodes++;
        return decodeFrameBytes(frame);
      },
      text: utf8Text,
      isValidRoom: isValidRoomBytes,
    },
    seesPings: false,
  };
  return { platform, sockets, decodes: () => decodes };
}

/** Lets the callbacks queued in this turn run. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** How `promise` has settled so far: `value` stays undefined while it is pending. */
export function settled<T extends string = 'resolved'>(
  promise: Promise<void>,
  resolved: T = 'resolved' as T,
) {
  const state: { value?: T | Error } = {};
  promise.then(
    () => (state.value = resolved),
    (error: Error) => (state.value = error),
  );
  return state;
}
