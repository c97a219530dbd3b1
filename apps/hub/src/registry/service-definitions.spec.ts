import { parseServiceDefinitions } from './service-definitions';

describe('parseServiceDefinitions', () => {
  it('reads services with their queue and topic rooms', () => {
    const text = JSON.stringify({
      services: [
        {
          name: 'notifier',
          queue: ['geofence:created', 'geofence:created'],
          topic: ['member:moved'],
        },
        { name: 'audit', topic: ['*'] },
      ],
    });
    expect(parseServiceDefinitions(text)).toEqual([
      { name: 'notifier', queue: ['geofence:created'], topic: ['member:moved'] },
      { name: 'audit', queue: [], topic: ['*'] },
    ]);
  });

  it.each([
    ['{', /not JSON/],
    ['{}', /services: must be an array/],
    ['{"services":[{"name":"#repeaters"}]}', /services\[0\]\.name/],
    ['{"services":[{"name":"a"},{"name":"a"}]}', /services\[1\]\.name: a is listed twice/],
    ['{"services":[{"name":"a","queue":"r"}]}', /services\[0\]\.queue: must be an array/],
    ['{"services":[{"name":"a","topic":[""]}]}', /services\[0\]\.topic: rooms are non-empty/],
  ])('refuses %s, naming the field', (text, message) => {
    expect(() => parseServiceDefinitions(text)).toThrow(message);
  });
});
