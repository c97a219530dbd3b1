import { DEFAULT_FRAME_LIMITS } from '../frame';
import { IntakeOptions, takeInEvent } from './event-intake';
import { eventProfile } from './event-profile';

const strict: IntakeOptions = {
  profile: eventProfile('v2'),
  enrich: false,
  limits: DEFAULT_FRAME_LIMITS,
};
const lenient: IntakeOptions = { ...strict, profile: eventProfile('v2', { lenient: true }) };
const take = (text: string, options = strict, room?: string) =>
  takeInEvent(Buffer.from(text), options, room);

describe('takeInEvent', () => {
  const event = {
    key: 'power',
    value: 'on',
    'affected-room': { buildingID: 'ITB', roomID: 'ITB-1101' },
  };

  it('takes the room from affected-room.roomID and keeps the bytes as sent', () => {
    const text = JSON.stringify(event);
    expect(take(text)).toEqual({ ok: true, room: 'ITB-1101', event: Buffer.from(text) });
  });

  it('prefers a framed room, then affected-room, then the connection’s room', () => {
    expect(take(`OTHER\n${JSON.stringify(event)}`)).toMatchObject({ ok: true, room: 'OTHER' });
    expect(take('{"key":"k"}', strict, 'CONN-ROOM')).toMatchObject({ ok: true, room: 'CONN-ROOM' });
    expect(take(JSON.stringify(event), strict, 'CONN-ROOM')).toMatchObject({ room: 'ITB-1101' });
  });

  it('refuses an event with no room at all, and does not route a * connection’s room', () => {
    expect(take('{"key":"k"}')).toMatchObject({
      ok: false,
      details: [{ field: 'affected-room.roomID' }],
    });
    expect(take('{"key":"k"}', strict, '*')).toMatchObject({ ok: false });
  });

  it('refuses invalid v2 events in strict mode with field errors, and lets them through in lenient mode', () => {
    const bad = '{"key":5,"affected-room":{"roomID":"R"}}';
    expect(take(bad)).toMatchObject({
      ok: false,
      error: 'invalid v2 event',
      details: [{ field: 'key' }],
    });
    expect(take(bad, lenient)).toMatchObject({ ok: true, room: 'R' });
  });

  it('refuses what is not JSON or not a frame', () => {
    expect(take('{nope')).toMatchObject({ ok: false, error: 'event is not valid JSON' });
    expect(take('hello')).toMatchObject({ ok: false, details: [{ field: 'frame' }] });
    expect(take('[1,2]', lenient, 'R')).toMatchObject({
      ok: false,
      details: [{ errors: ['an event must be a JSON object'] }],
    });
  });

  it('routes service events by name and stamps them when enrichment is on', () => {
    const options: IntakeOptions = {
      profile: eventProfile('service-event'),
      enrich: true,
      limits: DEFAULT_FRAME_LIMITS,
    };
    const serviceEvent = {
      request_id: 'r1',
      source: 's',
      name: 'geofence:created',
      timestamp: '2026-11-23T04:00:00Z',
      payload: {},
    };
    const result = take(JSON.stringify(serviceEvent), options);
    expect(result).toMatchObject({ ok: true, room: 'geofence:created', id: expect.any(String) });
    const stamped = result.ok ? JSON.parse(result.event.toString()) : {};
    expect(stamped).toMatchObject({
      ...serviceEvent,
      id: expect.any(String),
      processed_timestamp: expect.any(String),
    });
  });
});
