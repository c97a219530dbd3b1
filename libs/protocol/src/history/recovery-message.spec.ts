import { encodeRecoveryReport, recoveryReportOf } from './recovery-message';

describe('recovery reports', () => {
  it('encodes a recovered room in the agreed form', () => {
    expect(
      encodeRecoveryReport({ room: 'r', recovered: true, epoch: 'E', offset: 7, events: 3 }),
    ).toBe('{"recovery":{"room":"r","recovered":true,"epoch":"E","offset":7,"events":3}}');
  });

  it('encodes a refusal with its reason', () => {
    expect(
      encodeRecoveryReport({ room: 'r', recovered: false, reason: 'gap', epoch: 'E', offset: 7 }),
    ).toBe('{"recovery":{"room":"r","recovered":false,"reason":"gap","epoch":"E","offset":7}}');
  });

  it('parses what it encodes', () => {
    const report = {
      room: 'r',
      recovered: false,
      reason: 'too-many',
      epoch: 'E',
      offset: 0,
    } as const;
    expect(recoveryReportOf(JSON.parse(encodeRecoveryReport(report)))).toEqual(report);
  });

  it('reads anything else as no report', () => {
    expect(recoveryReportOf({ error: 'x' })).toBeUndefined();
    expect(recoveryReportOf(null)).toBeUndefined();
    expect(
      recoveryReportOf({ recovery: { room: 'r', recovered: true, epoch: 'E', offset: 1 } }),
    ).toBeUndefined();
    expect(
      recoveryReportOf({
        recovery: { room: 'r', recovered: false, reason: 'nope', epoch: 'E', offset: 1 },
      }),
    ).toBeUndefined();
    expect(
      recoveryReportOf({
        recovery: { room: 'r', recovered: true, epoch: 'E', offset: -1, events: 0 },
      }),
    ).toBeUndefined();
  });
});
