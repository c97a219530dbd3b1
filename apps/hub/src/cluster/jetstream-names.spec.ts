import fc from 'fast-check';
import { JetStreamNames } from './jetstream-names';
import { tokenToRoom } from './room-subjects';

describe('JetStreamNames', () => {
  const names = new JetStreamNames('ces');

  it('names the stream after the prefix', () => {
    expect(names.stream).toBe('CES_GROUPS');
    expect(names.streamSubjects).toBe('ces.grp.>');
    expect(new JetStreamNames('acme.ces').stream).toBe('ACME_CES_GROUPS');
  });

  it('gives every group one subject token that maps back to it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (group) => {
        const subject = names.groupSubject(group);
        expect(subject.startsWith('ces.grp.')).toBe(true);
        const token = subject.slice('ces.grp.'.length);
        expect(token).not.toMatch(/[.*>\s]/);
        expect(tokenToRoom(token)).toBe(group);
      }),
    );
  });

  it('gives every group a safe consumer name of its own', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (a, b) => {
        const name = names.consumerName(a);
        expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
        if (a !== b) expect(names.consumerName(b)).not.toBe(name);
      }),
    );
    expect(names.consumerName('billing')).toMatch(/^g_billing_[0-9a-f]{16}$/);
  });
});
