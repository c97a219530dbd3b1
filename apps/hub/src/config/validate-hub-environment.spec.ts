import 'reflect-metadata';
import { validateHubEnvironment } from './validate-hub-environment';

function problemsOf(raw: Record<string, string>): string {
  try {
    validateHubEnvironment(raw);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('the hub’s mesh and link settings', () => {
  it('takes the defaults and good values', () => {
    const settings = validateHubEnvironment({});
    expect(settings.HUB_LINK_MAX_FRAME_BYTES).toBe(16 * 1024 * 1024);
    expect(settings.HUB_MESH_FORGET_MS).toBe(300_000);
    expect(settings.HUB_ADVERTISE).toBe('');
    expect(validateHubEnvironment({ HUB_ADVERTISE: 'hub-a.example.com:7100' }).HUB_ADVERTISE).toBe(
      'hub-a.example.com:7100',
    );
  });

  it('refuses an advertised address no hub could dial', () => {
    expect(problemsOf({ HUB_ADVERTISE: 'ftp://hub-a' })).toContain('HUB_ADVERTISE="ftp://hub-a"');
  });

  it('refuses a link frame limit below the frame limit', () => {
    expect(problemsOf({ HUB_MAX_FRAME_BYTES: '2048', HUB_LINK_MAX_FRAME_BYTES: '1024' })).toContain(
      'at least HUB_MAX_FRAME_BYTES (2048)',
    );
    expect(problemsOf({ HUB_MAX_FRAME_BYTES: '2048', HUB_LINK_MAX_FRAME_BYTES: '2048' })).toBe('');
  });

  it('refuses a forget period under 100 ms', () => {
    expect(problemsOf({ HUB_MESH_FORGET_MS: '99' })).toContain('HUB_MESH_FORGET_MS="99"');
  });

  it('keeps the ping interval below the Go messenger’s 90 s read deadline', () => {
    expect(problemsOf({ HUB_PING_INTERVAL_MS: '90000' })).toContain('HUB_PING_INTERVAL_MS');
  });
});

describe('the hub’s cluster settings', () => {
  it('is off by default and takes nats:// and tls:// URLs', () => {
    expect(validateHubEnvironment({}).HUB_NATS_SERVERS).toBe('');
    expect(
      problemsOf({ HUB_NATS_SERVERS: 'nats://n1:4222, tls://n2.example.com:4222,nats://10.0.0.3' }),
    ).toBe('');
    expect(validateHubEnvironment({}).HUB_NATS_SUBJECT_PREFIX).toBe('ces');
  });

  it('refuses a server that is no NATS URL', () => {
    expect(problemsOf({ HUB_NATS_SERVERS: 'n1:4222' })).toContain('HUB_NATS_SERVERS');
    expect(problemsOf({ HUB_NATS_SERVERS: 'nats://n1,http://n2' })).toContain('"http://n2"');
  });

  it('refuses a subject prefix with wildcards, whitespace or empty tokens', () => {
    for (const prefix of ['ces.*', 'ces.>', 'c es', 'ces.', '.ces'])
      expect(problemsOf({ HUB_NATS_SUBJECT_PREFIX: prefix })).toContain('HUB_NATS_SUBJECT_PREFIX');
    expect(problemsOf({ HUB_NATS_SUBJECT_PREFIX: 'acme.ces-1' })).toBe('');
  });
});
