import { enrichEvent, eventProfile } from './event-profile';
import { SERVICE_EVENT as serviceEvent } from '../../../../test/support/sample-events';

describe('event profiles', () => {
  it('validates service events and routes them by name', () => {
    const profile = eventProfile('service-event');
    expect(profile.validate(serviceEvent)).toEqual({ ok: true, event: serviceEvent });
    expect(profile.roomOf(serviceEvent)).toBe('geofence:created');
  });

  it('refuses names that are not noun:verb in the past tense, and missing fields', () => {
    const profile = eventProfile('service-event');
    for (const name of [
      'geofence:create',
      'geofence',
      'created',
      'geo fence:created',
      ':created',
    ]) {
      const result = profile.validate({ ...serviceEvent, name });
      expect(result).toMatchObject({ ok: false, errors: [{ field: 'name' }] });
    }
    expect(profile.validate({ ...serviceEvent, name: 'invoice:sent' }).ok).toBe(true);
    const missing = profile.validate({ name: 'a:b' });
    expect(missing.ok).toBe(false);
    const fields = missing.ok ? [] : missing.errors.map((e) => e.field).sort();
    expect(fields).toEqual(['name', 'payload', 'request_id', 'source', 'timestamp']);
  });

  it('v2: strict validates the DTO, lenient only needs an object', () => {
    expect(eventProfile('v2').validate({ key: 1 }).ok).toBe(false);
    expect(eventProfile('v2', { lenient: true }).validate({ key: 1 }).ok).toBe(true);
    expect(eventProfile('v2', { lenient: true }).validate([1]).ok).toBe(false);
  });
});

describe('enrichEvent', () => {
  const now = new Date('2026-11-23T04:31:00.000Z');

  it('adds a time-ordered id and the acceptance time, keeping the sender’s bytes', () => {
    const bytes = Buffer.from('{"key":"power",  "value":"on"}');
    const enriched = enrichEvent(bytes, { key: 'power', value: 'on' }, eventProfile('v2'), now);
    expect(enriched.toString().startsWith('{"key":"power",  "value":"on","id":"')).toBe(true);
    const parsed = JSON.parse(enriched.toString());
    expect(parsed['processed-timestamp']).toBe('2026-11-23T04:31:00.000Z');
    expect(parsed.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('keeps an id the event already has, uses processed_timestamp for service events, and handles {}', () => {
    const withId = enrichEvent(
      Buffer.from('{"id":"mine"}'),
      { id: 'mine' },
      eventProfile('service-event'),
      now,
    );
    expect(JSON.parse(withId.toString())).toEqual({
      id: 'mine',
      processed_timestamp: '2026-11-23T04:31:00.000Z',
    });
    const empty = JSON.parse(
      enrichEvent(Buffer.from('{ }'), {}, eventProfile('v2'), now).toString(),
    );
    expect(Object.keys(empty)).toEqual(['id', 'processed-timestamp']);
  });

  it('gives ids that sort by time', () => {
    const profile = eventProfile('v2');
    const ids = [1, 2, 3].map(
      (s) =>
        JSON.parse(enrichEvent(Buffer.from('{}'), {}, profile, new Date(s * 1000)).toString()).id,
    );
    expect([...ids].sort()).toEqual(ids);
  });
});
