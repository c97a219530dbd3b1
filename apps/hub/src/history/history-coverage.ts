/**
 * Where each history room's record on this hub is complete from. Between our hubs a link
 * carries a room's events only while this hub wants the room (it has a subscriber of it or
 * of `*`): while it does not, events published elsewhere in the mesh never reach this hub and
 * are missing from its history. A resume from before the room was wanted again would look
 * whole and not be; it is refused as a gap instead. A hub that had no link open meanwhile
 * (at the moments it can tell: when the room stopped and started being wanted) misses nothing.
 * Every room starts unwanted: what other hubs published before a restart never came here.
 */
export class HistoryCoverage {
  private readonly wanted = new Set<string>();
  /** Rooms unwanted at a moment a link was open. */
  private readonly unheard = new Set<string>();
  /** Per room, the offset a resume must start at or after (the latest when it was wanted again). */
  private readonly resumableFrom = new Map<string, number>();

  /** The room stopped being wanted. */
  lost(room: string, linksOpen: boolean): void {
    this.wanted.delete(room);
    if (linksOpen) this.unheard.add(room);
  }

  /** The room is wanted, its latest offset being `latest`: what follows is heard. */
  regained(room: string, latest: number, linksOpen: boolean): void {
    if (this.wanted.has(room)) return;
    this.wanted.add(room);
    if (linksOpen || this.unheard.delete(room)) this.resumableFrom.set(room, latest);
  }

  /** True when every event of the room after `offset` reached this hub. */
  covers(room: string, offset: number): boolean {
    if (!this.wanted.has(room) && this.unheard.has(room)) return false;
    return offset >= (this.resumableFrom.get(room) ?? 0);
  }
}
