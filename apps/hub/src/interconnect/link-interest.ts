import { InterestChange, LINK_MESSAGE_LIMITS, WILDCARD_ROOM } from '@ces/protocol';

/** What /status shows of one link's interest. */
export interface LinkInterestView {
  /** The other hub has told its whole set: events it does not want are no longer sent. */
  known: boolean;
  /** Every event goes over the link: interest not known (yet), `*`, or more rooms than kept. */
  everything: boolean;
  rooms: number;
  /** Events not sent over the link because the other hub had no subscriber for their room. */
  eventsSkipped: number;
}

/**
 * The rooms the hub at the other end of one link has local subscribers for, as it told us.
 * Until it has told its whole set (and for ever, for a hub that never speaks of interest,
 * like the original Go hub) it is sent every event: an event is never lost to a set still
 * on its way. Any doubt — a message we cannot read, more rooms than we keep — falls back to
 * sending everything, never to sending less.
 */
export class LinkInterest {
  /** Read on the event path: true while `wants` is true for every room. */
  private sendsEverything = true;
  private complete = false;
  private gaveUp = false;
  private readonly roomSet = new Set<string>();
  /** Bumped by routing for each event the link did not want. */
  eventsSkipped = 0;

  constructor(private readonly maxRooms: number = LINK_MESSAGE_LIMITS.maxInterestRoomsPerLink) {}

  /** At most one Set lookup, no allocation: this runs for each link on every event. */
  wants(room: string): boolean {
    return this.sendsEverything || this.roomSet.has(room);
  }

  /** True while every event goes over the link (not known yet, `*`, or given up). */
  get everything(): boolean {
    return this.sendsEverything;
  }

  /** The rooms the other hub told us of (meaningful only while not `everything`). */
  get rooms(): ReadonlySet<string> {
    return this.roomSet;
  }

  apply(change: InterestChange): void {
    if (this.gaveUp) return;
    for (const room of change.remove) this.roomSet.delete(room);
    for (const room of change.add) this.roomSet.add(room);
    if (change.complete) this.complete = true;
    if (this.roomSet.size > this.maxRooms) this.giveUp();
    this.sendsEverything = this.gaveUp || !this.complete || this.roomSet.has(WILDCARD_ROOM);
  }

  /** What the other hub wants can no longer be known: every event goes, for the link's life. */
  giveUp(): void {
    this.gaveUp = true;
    this.sendsEverything = true;
    this.roomSet.clear();
  }

  view(): LinkInterestView {
    return {
      known: this.complete && !this.gaveUp,
      everything: this.sendsEverything,
      rooms: this.roomSet.size,
      eventsSkipped: this.eventsSkipped,
    };
  }
}
