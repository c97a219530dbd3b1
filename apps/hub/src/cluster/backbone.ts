import { Injectable } from '@nestjs/common';
import type { RoutablePeer } from '../routing/routable-peer';
import type { EventSource } from '../routing/routing.service';

/**
 * How events reach hubs other than this one's links: what the router and the forwarder
 * may ask, whatever runs behind it (nothing, or NATS in cluster mode). The native mesh is
 * not behind it: its links are peers the router routes to.
 */
export interface Backbone {
  /**
   * Consumer groups (the repeaters' included) are picked by the backbone across hubs, so
   * the hub where an event enters leaves them to it.
   */
  readonly picksGroups: boolean;
  /**
   * An event that entered this hub (never one that came from the backbone), from `sender`
   * when a peer sent it. Never blocks.
   */
  publish(source: EventSource, room: string, frame: Buffer, sender: RoutablePeer | undefined): void;
  /** Resolves once what was published so far has reached the backbone (publish confirms wait). */
  written(): Promise<void>;
  /**
   * The stream puts the last `publish` caused (durable groups in cluster mode), claimed by
   * the publish confirm that covers the event; undefined when it caused none.
   */
  takeStreamPut(): StreamPut | undefined;
}

/** The stream publishes one entering event caused, for the publish confirm that covers it. */
export interface StreamPut {
  /** A publish confirm waits for it: a copy the stream did not take is refused, not kept. */
  claimed: boolean;
  /** True once the stream acknowledged every copy; false when one was not taken. */
  taken: Promise<boolean>;
}

const NO_BACKBONE: Backbone = {
  picksGroups: false,
  publish: () => undefined,
  written: () => Promise.resolve(),
  takeStreamPut: () => undefined,
};

/**
 * Where the router and the forwarder find the running backbone: none until cluster mode
 * installs one. A holder, so that the backbone may depend on the forwarder it feeds.
 */
@Injectable()
export class BackboneGate {
  backbone: Backbone = NO_BACKBONE;
}
