import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { Options } from 'pino-http';
import {
  appLoggerParams,
  createAppLogger,
  prettyColours,
  wantsPrettyLogs,
  withoutSecrets,
} from './pino-params';

const request = (url: string) => ({ url, method: 'GET' }) as IncomingMessage;
const response = (statusCode: number) => ({ statusCode }) as ServerResponse;

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}

const options = (destination: Writable) => ({
  level: 'info' as const,
  base: { app: 'hub' },
  quietPaths: ['/health', '/metrics'],
  eventPaths: ['/event'],
  destination,
});

describe('app logging', () => {
  it('is pretty only for a terminal outside production', () => {
    expect(wantsPrettyLogs({ NODE_ENV: 'development' }, { isTTY: true })).toBe(true);
    expect(wantsPrettyLogs({}, { isTTY: true })).toBe(true);
    expect(wantsPrettyLogs({ NODE_ENV: 'production' }, { isTTY: true })).toBe(false);
    expect(wantsPrettyLogs({ NODE_ENV: 'development' }, { isTTY: false })).toBe(false);
    expect(wantsPrettyLogs({}, {})).toBe(false);
  });

  it('follows LOG_FORMAT when it is set, whatever the terminal', () => {
    expect(wantsPrettyLogs({}, { isTTY: false }, 'pretty')).toBe(true);
    expect(wantsPrettyLogs({ NODE_ENV: 'production' }, { isTTY: false }, 'pretty')).toBe(true);
    expect(wantsPrettyLogs({}, { isTTY: true }, 'json')).toBe(false);
    expect(wantsPrettyLogs({}, { isTTY: true }, 'auto')).toBe(true);
  });

  it('colours pretty lines for a terminal or FORCE_COLOR, never with NO_COLOR', () => {
    expect(prettyColours({}, { isTTY: true })).toBe(true);
    expect(prettyColours({}, { isTTY: false })).toBe(false);
    expect(prettyColours({ FORCE_COLOR: '1' }, { isTTY: false })).toBe(true);
    expect(prettyColours({ FORCE_COLOR: '0' }, { isTTY: true })).toBe(false);
    expect(prettyColours({ NO_COLOR: '1', FORCE_COLOR: '1' }, { isTTY: true })).toBe(false);
  });

  it('writes Nest’s start-up lines (routes mapped, modules loaded) at debug', () => {
    const { lines, destination } = capture();
    const logger = createAppLogger({ ...options(destination), level: 'debug' });
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/status, GET} route');
    logger.info({ context: 'InstanceLoader' }, 'HubModule dependencies initialized');
    logger.info({ context: 'Hub' }, 'hub listening');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [20, 'Mapped {/status, GET} route'],
      [20, 'HubModule dependencies initialized'],
      [30, 'hub listening'],
    ]);
    const quiet = capture();
    createAppLogger(options(quiet.destination)).info({ context: 'RoutesResolver' }, 'x {/x}:');
    expect(quiet.lines).toEqual([]);
  });

  it('writes JSON lines at the level asked for, with the app’s fields', () => {
    const { lines, destination } = capture();
    const logger = createAppLogger({ ...options(destination), level: 'warn' });
    logger.info('not written');
    logger.warn({ context: 'Test' }, 'written');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, app: 'hub', context: 'Test', msg: 'written' }),
    ]);
    expect(typeof lines[0].time).toBe('string');
  });

  it('does not log probes and scrapes, and logs event requests only at debug', () => {
    const http = appLoggerParams(options(capture().destination)).pinoHttp as Options;
    const ignore = (http.autoLogging as { ignore(r: IncomingMessage): boolean }).ignore;
    expect(ignore(request('/health'))).toBe(true);
    expect(ignore(request('/metrics?x=1'))).toBe(true);
    expect(ignore(request('/status'))).toBe(false);

    const level = http.customLogLevel!;
    expect(level(request('/event'), response(202))).toBe('debug');
    expect(level(request('/event'), response(400))).toBe('debug');
    expect(level(request('/event'), response(500))).toBe('error');
    expect(level(request('/status'), response(200))).toBe('info');
    expect(level(request('/status'), response(401))).toBe('warn');
    expect(level(request('/status'), response(200), new Error('x'))).toBe('error');
  });

  // Every spelling of the token's name and value is redactTokens' to know, and its spec's to try.
  it('never logs a token: request URLs go through the token redaction', () => {
    expect(withoutSecrets('/x?a=1&token=s3cret&b=2')).toBe('/x?a=1&token=[redacted]&b=2');
    expect(withoutSecrets(undefined)).toBeUndefined();
    const http = appLoggerParams(options(capture().destination)).pinoHttp as Options;
    const serialized = http.serializers!.req({
      id: 1,
      method: 'GET',
      url: '/status?%74oken=s3cret',
      headers: { authorization: 'Bearer s3cret' },
      remoteAddress: '127.0.0.1',
    });
    expect(JSON.stringify(serialized)).not.toContain('s3cret');
  });
});
