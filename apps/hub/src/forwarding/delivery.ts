import { Injectable } from '@nestjs/common';
import { encodeDeliver } from '@ces/protocol';
import { PeerConnection } from '../connections/peer-connection';
import { POSITIONED_LATER, PositionedEvent } from '../history/positioned-event';
import { PeerList } from '../routing/peer-list';
import { HubCounters } from '../status/hub-counters';
import { buildBinaryFrame, WireFrame } from '../transport/frame-writer';

/**
 * Writes an event's bytes to its recipients: the same frame to each, within each peer's
 * send budget, counted once per event rather than once per recipient.
 */
@Injectable()
export class Delivery {
  constructor(private readonly counters: HubCounters) {}

  /**
   * `positioned`: the event of a history room, for the recipients that asked for positions
   * (`POSITIONED_LATER`: they get it from the cluster's history stream instead).
   */
  toAll(
    recipients: PeerList<PeerConnection>,
    wire: WireFrame,
    payload: Buffer,
    positioned?: PositionedEvent | typeof POSITIONED_LATER,
  ): void {
    let messengers = 0;
    let repeaters = 0;
    let hubs = 0;
    let dropped = 0;
    for (let i = 0; i < recipients.size; i++) {
      const peer = recipients.at(i);
      if (positioned === POSITIONED_LATER && peer.positions) continue;
      const sent =
        positioned !== undefined && positioned !== POSITIONED_LATER && peer.positions
          ? peer.socket.sendEvent(positioned.wire, positioned.payload)
          : peer.socket.sendEvent(wire, payload);
      if (!sent) dropped++;
      else if (peer.kind === 'messenger') messengers++;
      else if (peer.kind === 'repeater') repeaters++;
      else hubs++;
    }
    if (messengers) this.counters.eventsOutTo('messenger', messengers);
    if (repeaters) this.counters.eventsOutTo('repeater', repeaters);
    if (hubs) this.counters.eventsOutTo('hub', hubs);
    if (dropped) this.counters.drop('slow-consumer', dropped);
  }

  /** Writes to one peer; false (and counted) when it could not take it. */
  toOne(peer: PeerConnection, wire: WireFrame, payload: Buffer): boolean {
    if (!peer.socket.sendEvent(wire, payload)) {
      this.counters.drop('slow-consumer');
      return false;
    }
    this.counters.eventsOutTo(peer.kind);
    return true;
  }

  /**
   * Gives a kept or redelivered event to the member a group picked. A linked hub hears
   * first, on the same socket, which group the event is for.
   */
  readonly toGroupMember = (group: string, member: PeerConnection, payload: Buffer): boolean => {
    if (member.kind === 'hub' && !member.sendControl(encodeDeliver([group]))) return false;
    return this.toOne(member, buildBinaryFrame(payload), payload);
  };
}
