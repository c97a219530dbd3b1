import { decodeFrame, encodeFrame, encodeSubscriptionChange } from '@ces/protocol';
import { WebSocket } from 'ws';
import { waitFor } from './wait-for';

export interface ReceivedFrame {
  binary: boolean;
  data: Buffer;
}

/**
 * A bare websocket peer for tests: it speaks the wire protocol by hand, so the tests
 * check the hub's bytes, not a client library's view of them.
 */
export class WsPeer {
  readonly frames: ReceivedFrame[] = [];
  closeCode?: number;
  closeReason?: string;
  private readonly closed: Promise<void>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, binary: boolean) => this.frames.push({ binary, data }));
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve();
      }),
    );
    socket.on('error', () => undefined);
  }

  static connect(
    url: string,
    options: ConstructorParameters<typeof WebSocket>[2] = {},
  ): Promise<WsPeer> {
    const socket = new WebSocket(url, { perMessageDeflate: false, ...options });
    const peer = new WsPeer(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(peer));
      socket.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })),
      );
      socket.once('error', reject);
    });
  }

  /** Events received, decoded: `{ room, event }` with the event parsed. */
  get events(): { room: string; event: unknown }[] {
    return this.frames
      .filter((frame) => frame.binary)
      .map((frame) => {
        const { room, event } = decodeFrame(frame.data);
        return { room, event: JSON.parse(event.toString()) };
      });
  }

  get texts(): string[] {
    return this.frames.filter((frame) => !frame.binary).map((frame) => frame.data.toString());
  }

  /** The error frames received: each error's text and the fields it names, sorted. */
  get errors(): { error: string; fields: string[] }[] {
    return this.texts
      .map((text) => JSON.parse(text) as { error?: string; details?: { field: string }[] })
      .filter((frame) => typeof frame.error === 'string')
      .map((frame) => ({
        error: frame.error!,
        fields: (frame.details ?? []).map((detail) => detail.field).sort(),
      }));
  }

  send(room: string, event: unknown): void {
    this.socket.send(encodeFrame(room, event), { binary: true });
  }

  sendRaw(data: Buffer | string, binary = typeof data !== 'string'): void {
    this.socket.send(data, { binary });
  }

  /** Subscribes and waits until the hub has applied it (a ping round trip follows the frame in order). */
  async subscribe(rooms: string[], extra: Record<string, unknown> = {}): Promise<void> {
    this.socket.send(
      JSON.stringify({
        ...JSON.parse(encodeSubscriptionChange({ rooms, create: true })),
        ...extra,
      }),
    );
    await this.roundTrip();
  }

  async unsubscribe(rooms: string[]): Promise<void> {
    this.socket.send(encodeSubscriptionChange({ rooms, create: false }));
    await this.roundTrip();
  }

  /**
   * Resolves after the hub has read everything sent before it: pings are answered in order.
   * A hub drops the pong of a peer over its send budget, so the ping is repeated until one
   * comes back.
   */
  roundTrip(): Promise<void> {
    return new Promise((resolve) => {
      const again = setInterval(() => this.socket.ping(), 250);
      this.socket.once('pong', () => {
        clearInterval(again);
        resolve();
      });
      this.socket.ping();
    });
  }

  async waitForEvents(
    count: number,
    timeoutMs = 5000,
  ): Promise<{ room: string; event: unknown }[]> {
    await waitFor(() => this.events.length >= count, `${count} event(s)`, timeoutMs);
    return this.events;
  }

  async waitForClose(timeoutMs = 5000): Promise<number | undefined> {
    await Promise.race([
      this.closed,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('socket did not close')), timeoutMs).unref(),
      ),
    ]);
    return this.closeCode;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}
