import { ClusterSourceKind, ClusterSubjects } from './cluster-subjects';

describe('ClusterSubjects', () => {
  it.each([
    ['ces', 'm', true],
    ['ces', 'r', true],
    ['ces', 'h', false],
    ['site.a', 'm', true],
    ['site.a', 'h', false],
  ] as [string, ClusterSourceKind, boolean][])(
    'under prefix %s, tells an event of kind %s entered from a peer: %s',
    (prefix, kind, fromPeer) => {
      const subjects = new ClusterSubjects(prefix);
      for (const room of ['R', 'm', 'a.b', '*', ''])
        expect(subjects.enteredFromPeer(subjects.eventSubject(kind, room))).toBe(fromPeer);
    },
  );

  it('reads no other subject as entered from a peer', () => {
    const subjects = new ClusterSubjects('ces');
    expect(subjects.enteredFromPeer('ces.ev.mx.R')).toBe(false);
    expect(subjects.enteredFromPeer('ces.grp.m')).toBe(false);
    expect(subjects.enteredFromPeer('ces.ev.')).toBe(false);
  });
});
