import { StreamHistoryEntry, StreamHistoryReplica } from './stream-history-replica';

const entry = (seq: number, at = seq): StreamHistoryEntry => ({
  seq,
  frame: Buffer.from(`R\n{"seq":${seq}}`),
  at,
  origin: 'hub-a',
  sender: '',
});

/** Adds `seqs` of rooms by name: `{ R: [1, 3], S: [2] }` in sequence order. */
function replicaOf(rooms: Record<string, number[]>, size = 10): StreamHistoryReplica {
  const replica = new StreamHistoryReplica(size);
  const all = Object.entries(rooms).flatMap(([room, seqs]) => seqs.map((seq) => ({ room, seq })));
  for (const { room, seq } of all.sort((x, y) => x.seq - y.seq)) replica.add(room, entry(seq));
  return replica;
}

const seqs = (entries: StreamHistoryEntry[]) => entries.map((each) => each.seq);

describe('StreamHistoryReplica', () => {
  it("gives each room the stream's sequences as offsets, skipping the other rooms'", () => {
    const replica = replicaOf({ R: [1, 3, 4], S: [2, 5] });
    expect(replica.latest('R')).toBe(4);
    expect(replica.latest('S')).toBe(5);
    expect(replica.latest('none')).toBe(0);
    expect(replica.last).toBe(5);
    expect(seqs(replica.read('R', 1, 0))).toEqual([3, 4]);
  });

  it('covers a resume from an event it holds, or from the latest', () => {
    const replica = replicaOf({ R: [1, 3, 4], S: [2, 5] });
    expect(replica.covers('R', 3, 0)).toBe(true);
    expect(replica.covers('R', 4, 0)).toBe(true);
    // 2 is S's: never a position of R, so nothing says what of R came after it.
    expect(replica.covers('R', 2, 0)).toBe(false);
    // Beyond what was read: the client saw more than this copy has.
    expect(replica.covers('R', 9, 0)).toBe(false);
  });

  it('keeps the last `size` events of a room, and no longer covers the one pushed out', () => {
    const replica = replicaOf({ R: [1, 2, 3, 4] }, 2);
    expect(seqs(replica.read('R', 0, 0))).toEqual([3, 4]);
    expect(replica.covers('R', 2, 0)).toBe(false);
    expect(replica.covers('R', 3, 0)).toBe(true);
    expect(replica.covers('R', 0, 0)).toBe(false);
  });

  it('covers a resume from 0 only for a room it has whole from the start of the stream', () => {
    expect(replicaOf({ R: [1, 2] }).covers('R', 0, 0)).toBe(true);
    expect(replicaOf({ S: [1] }).covers('R', 0, 0)).toBe(true);
    const late = replicaOf({ R: [4, 5] });
    late.caughtUp();
    expect(late.covers('R', 0, 0)).toBe(false);
    expect(late.covers('R', 4, 0)).toBe(true);
  });

  it('refuses a resume from before a hole until it has caught up with the stream', () => {
    const replica = replicaOf({ R: [1, 2, 5] });
    expect(replica.covers('R', 2, 0)).toBe(false);
    expect(replica.covers('R', 5, 0)).toBe(true);
    expect(replica.ready).toBe(false);
    replica.caughtUp();
    expect(replica.ready).toBe(true);
    expect(replica.covers('R', 2, 0)).toBe(true);
    expect(replica.covers('R', 0, 0)).toBe(false);
  });

  it('ignores a sequence it has read already', () => {
    const replica = replicaOf({ R: [1, 2] });
    expect(replica.add('R', entry(2))).toBe(false);
    expect(replica.add('R', entry(3))).toBe(true);
    expect(seqs(replica.read('R', 0, 0))).toEqual([1, 2, 3]);
  });

  it('leaves out and sweeps what is older than the age bound', () => {
    const replica = replicaOf({ R: [1, 2, 3, 4] });
    expect(seqs(replica.read('R', 0, 3))).toEqual([3, 4]);
    expect(replica.covers('R', 2, 3)).toBe(false);
    expect(replica.covers('R', 3, 3)).toBe(true);
    replica.sweep(4);
    expect(seqs(replica.read('R', 0, 0))).toEqual([4]);
    expect(replica.covers('R', 0, 0)).toBe(false);
    expect(replica.latest('R')).toBe(4);
  });

  it('starts afresh when reset', () => {
    const replica = replicaOf({ R: [1, 2] });
    replica.caughtUp();
    replica.reset();
    expect(replica.latest('R')).toBe(0);
    expect(replica.last).toBe(0);
    expect(replica.ready).toBe(false);
    expect(replica.add('R', entry(1))).toBe(true);
  });
});
