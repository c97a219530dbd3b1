import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeRoom, FrameError } from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { RateLimitedLogger } from '../logging/rate-limited-logger';
import { EventSource, RoutingService } from '../routing/routing.service';
import { HubCounters } from '../status/hub-counters';
import { buildBinaryFrame } from '../transport/frame-writer';
import { GroupBacklogs } from './group-backlogs';

/**
 * The hub's hot path: read the room line, ask the routing table who gets the event,
 * frame the same bytes once and write them to each recipient. The event's JSON is
 * never parsed here.
 */
@Injectable()
export class EventForwarder {
  private readonly log = new RateLimitedLogger(new Logger(EventForwarder.name));
  private readonly canSend = (peer: PeerConnection): boolean =>
    peer.isOpen && peer.bufferedBytes <= this.config.sendHighWaterBytes;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly routing: RoutingService<PeerConnection>,
    private readonly backlogs: GroupBacklogs,
    private readonly counters: HubCounters,
  ) {}

  /** Routes one event frame; returns false (after counting why) when the frame is refused. */
  forward(source: EventSource, sender: PeerConnection | undefined, frame: Buffer): boolean {
    const room = this.readRoom(sender, frame);
    if (room === undefined) return false;
    if (sender?.mayPublish && !sender.mayPublish(room)) return this.refusePublish(sender, room);
    if (sender) sender.eventsIn++;
    this.counters.eventIn(source);

    const { recipients, waitingGroups, busyGroups } = this.routing.route(
      source,
      sender,
      room,
      this.canSend,
    );
    if (recipients.length > 0) this.sendToAll(recipients, frame);
    for (const group of waitingGroups) this.backlogs.keep(group, frame);
    if (busyGroups.length > 0) this.counters.drop('group-busy', busyGroups.length);
    return true;
  }

  /** Delivers frames kept for a group to a member that just arrived. */
  deliverBacklog(groupName: string, member: PeerConnection): void {
    for (const frame of this.backlogs.take(groupName)) this.sendToAll([member], frame);
  }

  private sendToAll(recipients: PeerConnection[], frame: Buffer): void {
    const wire = buildBinaryFrame(frame);
    const highWater = this.config.sendHighWaterBytes;
    for (const peer of recipients) {
      if (peer.trySend(wire, frame, highWater)) this.counters.eventsOutTo(peer.kind);
      else this.counters.drop('slow-consumer');
    }
  }

  private refusePublish(sender: PeerConnection, room: string): false {
    this.counters.reject('publish-forbidden');
    sender.rejected++;
    sender.sendText(
      JSON.stringify({ error: `your token does not grant publishing into ${room}`, details: [] }),
    );
    return false;
  }

  private readRoom(sender: PeerConnection | undefined, frame: Buffer): string | undefined {
    try {
      const { room, newlineAt } = decodeRoom(frame, this.config.frameLimits);
      if (!hasContentAfter(frame, newlineAt))
        throw new FrameError('empty-event', 'frame has a room id but no event');
      return room;
    } catch (error) {
      const reason = error instanceof FrameError ? error.reason : 'invalid-frame';
      this.counters.reject(reason);
      if (sender) sender.rejected++;
      this.log.warn(
        reason,
        `rejected a frame from ${sender?.id ?? 'the REST API'}: ${String((error as Error).message)}`,
      );
      return undefined;
    }
  }
}

function hasContentAfter(frame: Buffer, newlineAt: number): boolean {
  for (let i = newlineAt + 1; i < frame.length; i++) {
    const byte = frame[i];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return true;
  }
  return false;
}
