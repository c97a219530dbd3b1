import { ConfirmSession } from './confirm-session';

describe('ConfirmSession', () => {
  it('numbers frames from next and confirms nothing before an event is settled', () => {
    const session = new ConfirmSession({ publisher: 'p', taken: 0, heardAt: 0 }, 5);
    expect(session.due()).toBeUndefined();
    expect(session.number()).toBe(5);
    expect(session.number()).toBe(6);
  });

  it('takes resends up to what the publisher had taken as duplicates, and confirms them', () => {
    const record = { publisher: 'p', taken: 3, heardAt: 0 };
    const session = new ConfirmSession(record, 2);
    const seqs = [session.number(), session.number(), session.number()];
    expect(seqs.map((seq) => session.isResend(seq))).toEqual([true, true, false]);
    for (const seq of seqs) session.settle(seq);
    expect(record.taken).toBe(4);
    expect(session.due()).toBe(4);
    session.confirmed = 4;
    expect(session.due()).toBeUndefined();
  });

  it('confirms cumulatively: one confirm covers every event settled since the last', () => {
    const session = new ConfirmSession({ publisher: 'p', taken: 0, heardAt: 0 }, 1);
    for (let i = 0; i < 3; i++) session.settle(session.number());
    expect(session.due()).toBe(3);
  });

  it('confirms nothing once broken', () => {
    const session = new ConfirmSession({ publisher: 'p', taken: 0, heardAt: 0 }, 1);
    session.settle(session.number());
    session.broken = true;
    expect(session.due()).toBeUndefined();
  });

  it('keeps the taken count below an event whose stream copies are on their way, until they are there', () => {
    const record = { publisher: 'p', taken: 0, heardAt: 0 };
    const session = new ConfirmSession(record, 1);
    session.settle(session.number()); // 1: no durable group
    const held = session.number(); // 2: copies on their way
    session.hold(held);
    session.settle(held);
    session.settle(session.number()); // 3
    expect(record.taken).toBe(1);
    expect(session.isResend(2)).toBe(false);
    const later = session.number(); // 4: on its way too
    session.hold(later);
    session.settle(later);
    session.release(3);
    expect(record.taken).toBe(3);
    session.release(4);
    expect(record.taken).toBe(4);
    expect(session.due()).toBe(4);
  });
});
