import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { hubConfigFrom } from './hub-config';
import { validateHubEnvironment } from './validate-hub-environment';

const configOf = (raw: Record<string, string>) =>
  hubConfigFrom(
    new ConfigService({ hub: validateHubEnvironment({ HUB_STORE: 'memory', ...raw }) }),
  );

describe('the hub’s durable bounds per room', () => {
  it('are none unless set: the group’s bounds apply alone', () => {
    expect(configOf({}).durable.perRoom).toBeUndefined();
  });

  it('are the group’s where only the other one is set', () => {
    const { durable } = configOf({
      HUB_DURABLE_MAX_EVENTS: '500',
      HUB_DURABLE_MAX_BYTES: '9000',
      HUB_DURABLE_ROOM_MAX_EVENTS: '50',
    });
    expect(durable.perRoom).toEqual({ maxEvents: 50, maxBytes: 9000 });
  });

  it('take the values set', () => {
    const { durable } = configOf({
      HUB_DURABLE_ROOM_MAX_EVENTS: '50',
      HUB_DURABLE_ROOM_MAX_BYTES: '4096',
    });
    expect(durable.perRoom).toEqual({ maxEvents: 50, maxBytes: 4096 });
  });

  it.each([
    ['HUB_DURABLE_ROOM_MAX_EVENTS', '-1'],
    ['HUB_DURABLE_ROOM_MAX_EVENTS', 'many'],
    ['HUB_DURABLE_ROOM_MAX_BYTES', '1.5'],
  ])('refuse %s=%s at startup, naming the setting', (setting, value) => {
    expect(() => validateHubEnvironment({ [setting]: value })).toThrow(setting);
  });
});
