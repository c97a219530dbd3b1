import { SocketFactory } from './hub-socket';

/** The frame codec a platform provides: Node's runs on Buffers, the browser's on Uint8Arrays. */
export interface FrameCodec<Bytes extends Uint8Array = Uint8Array> {
  encode(room: string, event: unknown): Uint8Array;
  /** The room line only; throws a FrameError for a malformed frame. */
  room(frame: Bytes): string;
  /** The room and the event's bytes (a view, no copy); throws a FrameError. */
  decode(frame: Bytes): { room: string; event: Bytes };
  text(bytes: Bytes): string;
  isValidRoom(room: string): boolean;
}

/** Everything that differs between the platforms a messenger runs on. */
export interface MessengerPlatform<Bytes extends Uint8Array = Uint8Array> {
  dial: SocketFactory;
  codec: FrameCodec<Bytes>;
  /**
   * Whether sockets report the hub's pings. Without that (a browser) a quiet hub cannot be
   * told from a gone one, so the silence check is off and the browser's own handling of the
   * connection decides when it is dead.
   */
  seesPings: boolean;
}
