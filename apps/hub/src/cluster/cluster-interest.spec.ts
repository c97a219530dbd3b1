import { ClusterInterest, ClusterSubscriptionKey } from './cluster-interest';

function table() {
  const told: string[] = [];
  const name = (key: ClusterSubscriptionKey) =>
    `${key.subject}${key.queue ? ` q=${key.queue}` : ''}`;
  const interest = new ClusterInterest({
    subscribe: (key) => told.push(`+${name(key)}`),
    unsubscribe: (key) => told.push(`-${name(key)}`),
  });
  return { interest, told };
}

describe('the cluster interest table', () => {
  it('subscribes on the first holder and unsubscribes after the last', () => {
    const { interest, told } = table();
    const room = { subject: 'ces.ev.*.R' };
    interest.hold(room);
    interest.hold({ subject: 'ces.ev.*.R' });
    expect(told).toEqual(['+ces.ev.*.R']);
    expect(interest.countOf(room)).toBe(2);
    interest.release(room);
    expect(told).toEqual(['+ces.ev.*.R']);
    interest.release(room);
    expect(told).toEqual(['+ces.ev.*.R', '-ces.ev.*.R']);
    interest.release(room);
    expect(told).toHaveLength(2);
    expect(interest.size).toBe(0);
  });

  it('keeps a subject in a queue group apart from the same subject without one', () => {
    const { interest, told } = table();
    interest.hold({ subject: 'ces.ev.*.R' });
    interest.hold({ subject: 'ces.ev.*.R', queue: 'g:billing' });
    interest.release({ subject: 'ces.ev.*.R' });
    expect(told).toEqual(['+ces.ev.*.R', '+ces.ev.*.R q=g:billing', '-ces.ev.*.R']);
    expect(interest.keys).toEqual([{ subject: 'ces.ev.*.R', queue: 'g:billing' }]);
  });

  it('replaces the groups’ set without dropping what stays', () => {
    const { interest, told } = table();
    const a = { subject: 'ces.ev.*.A', queue: 'g:x' };
    const b = { subject: 'ces.ev.*.B', queue: 'g:x' };
    const c = { subject: 'ces.ev.*.C', queue: 'g:x' };
    interest.replaceGroups([a, b]);
    told.length = 0;
    interest.replaceGroups([{ ...b }, c]);
    expect(told).toEqual(['+ces.ev.*.C q=g:x', '-ces.ev.*.A q=g:x']);
    interest.replaceGroups([]);
    expect(interest.size).toBe(0);
  });

  it('lets a room subscription and a group hold one subject independently', () => {
    const { interest, told } = table();
    const key = { subject: 'ces.ev.*.*' };
    interest.hold(key);
    interest.replaceGroups([{ subject: 'ces.ev.*.*', queue: 'g:all' }]);
    interest.replaceGroups([]);
    expect(interest.holds(key)).toBe(true);
    expect(told).toEqual(['+ces.ev.*.*', '+ces.ev.*.* q=g:all', '-ces.ev.*.* q=g:all']);
  });
});
