import { PeerKind } from '@ces/protocol';
import { DurableMember } from '../durable/durable-delivery';
import { LinkPeer } from '../interconnect/link-registry';

/**
 * A peer for unit tests of the pure parts (routing, registries, durable delivery): it
 * records what it is sent and can be made full, closed or restricted to some rooms.
 */
export class FakePeer implements LinkPeer, DurableMember {
  canTakeNow = true;
  isOpen = true;
  eventsOut = 0;
  readonly control: string[] = [];
  readonly frames: Buffer[] = [];

  constructor(
    readonly id: string,
    readonly kind: PeerKind = 'messenger',
    readonly options: {
      remoteHubId?: string;
      direction?: 'in' | 'out';
      rooms?: (room: string) => boolean;
      /** Frames it takes before it is full. */
      capacity?: number;
    } = {},
  ) {}

  get remoteHubId(): string | undefined {
    return this.options.remoteHubId;
  }

  get direction(): 'in' | 'out' | undefined {
    return this.options.direction;
  }

  get canTake(): boolean {
    const capacity = this.options.capacity ?? Infinity;
    return this.isOpen && this.canTakeNow && this.frames.length < capacity;
  }

  mayGet(room: string): boolean {
    return this.options.rooms ? this.options.rooms(room) : true;
  }

  /** Control frames it takes before it is full (undefined: any number). */
  controlCapacity?: number;
  closedWith?: number;

  sendControl(text: string): boolean {
    if (this.controlCapacity !== undefined && this.control.length >= this.controlCapacity)
      return false;
    this.control.push(text);
    return true;
  }

  close(code: number): void {
    this.closedWith = code;
    this.isOpen = false;
  }

  /** What a peer socket does with an event: write it if there is room, and count it. */
  take(frame: Buffer): boolean {
    if (!this.canTake) return false;
    this.frames.push(frame);
    this.eventsOut++;
    return true;
  }
}
