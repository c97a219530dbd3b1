import { WebSocket } from 'ws';
import { WireFrame, writeFrame } from './frame-writer';

const BINARY = { binary: true } as const;

/** How long a closing peer may take to answer our close frame before its socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

export interface SendBudget {
  /** Bytes that may wait in the socket's queue; a frame that finds more is dropped. */
  bytes: number;
}

/** What a peer socket counts of the frames it could not send, by kind of frame. */
export interface DroppedFrames {
  events: number;
  control: number;
  pongs: number;
}

/**
 * Everything the hub may do with one peer's websocket: send an event, send a control
 * message, answer a ping, see how many bytes wait, close with a code. Every frame counts
 * against one byte budget, so a peer that does not read cannot make the hub hold more
 * than that for it, whatever it sends.
 *
 * Events go out as a frame built once for all recipients, except where that could
 * overtake a frame ws is still compressing (permessage-deflate) or where each frame must
 * be masked (a link this hub dialed is a client socket): there ws frames the payload.
 */
export class PeerSocket {
  /** Event frames written, in order: what an `{"ack": N}` counts. */
  eventsSent = 0;
  /** Payload bytes written (events, control frames, pongs): ws's framing is not counted. */
  bytesSent = 0;
  readonly dropped: DroppedFrames = { events: 0, control: 0, pongs: 0 };
  /** Since when the queue has been over budget (0: it is not). */
  private overBudgetSince = 0;
  private readonly prebuilt: boolean;
  private readonly onEventDropped?: () => void;
  private closing = false;

  constructor(
    readonly ws: WebSocket,
    private readonly budget: SendBudget,
    options: { dialed: boolean; onEventDropped?: () => void },
  ) {
    this.prebuilt = !options.dialed && !compressionNegotiated(ws);
    this.onEventDropped = options.onEventDropped;
    ws.on('ping', (data: Buffer) => this.answerPing(data));
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN && !this.closing;
  }

  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  /** True when a frame sent now would be queued within the budget. */
  get hasRoom(): boolean {
    return this.isOpen && this.ws.bufferedAmount <= this.budget.bytes;
  }

  /** True when `bytes` more could be queued now and stay within the budget. */
  fits(bytes: number): boolean {
    return this.isOpen && this.ws.bufferedAmount + bytes <= this.budget.bytes;
  }

  /** Sends an event frame unless the budget is spent; false (and counted) when dropped. */
  sendEvent(frame: WireFrame, payload: Buffer): boolean {
    if (!this.admit()) {
      this.dropped.events++;
      this.onEventDropped?.();
      return false;
    }
    if (this.prebuilt) writeFrame(this.ws, frame);
    else this.ws.send(payload, BINARY);
    this.eventsSent++;
    this.bytesSent += payload.length;
    return true;
  }

  /** Sends a text control frame (replies, errors, link messages) within the same budget. */
  sendControl(text: string): boolean {
    if (!this.admit()) {
      this.dropped.control++;
      return false;
    }
    this.ws.send(text);
    this.bytesSent += Buffer.byteLength(text);
    return true;
  }

  ping(): void {
    if (this.isOpen) this.ws.ping();
  }

  /**
   * How long the queue has been over budget, in ms (0 when it is not). Checked by the
   * keepalive: a peer that does not read what it is sent is cut off, whatever it sends.
   */
  overBudgetFor(now: number): number {
    if (this.ws.bufferedAmount <= this.budget.bytes) this.overBudgetSince = 0;
    else if (this.overBudgetSince === 0) this.overBudgetSince = now;
    return this.overBudgetSince === 0 ? 0 : now - this.overBudgetSince;
  }

  /** Closes with a code; a peer that does not take the close frame is cut off shortly after. */
  close(code: number, reason: string): void {
    if (this.closing || this.ws.readyState >= WebSocket.CLOSING) return;
    this.closing = true;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  terminate(): void {
    this.closing = true;
    this.ws.terminate();
  }

  /** Resolves once the socket is closed. */
  closed(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  /** ws's automatic pongs are off on our servers: pongs count against the budget here. */
  private answerPing(data: Buffer): void {
    if (!this.admit()) {
      this.dropped.pongs++;
      return;
    }
    this.ws.pong(data);
    this.bytesSent += data.length;
  }

  private admit(): boolean {
    if (!this.isOpen) return false;
    if (this.ws.bufferedAmount <= this.budget.bytes) {
      this.overBudgetSince = 0;
      return true;
    }
    if (this.overBudgetSince === 0) this.overBudgetSince = Date.now();
    return false;
  }
}

function compressionNegotiated(ws: WebSocket): boolean {
  // The negotiated extensions; ws fills this in at the upgrade.
  return ws.extensions.includes('permessage-deflate');
}
