import { AppProcess, builtApp, freePort, runApp } from '../support/built-app';
import { startHub, TestHub } from '../support/hub-harness';
import { waitFor } from '../support/wait-for';

interface LogLine {
  level: number;
  msg: string;
}

const WARN = 40;

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const uplinkWarnings = (output: string) =>
  logLines(output).filter((line) => line.level >= WARN && /uplink/i.test(line.msg));

describe("a repeater's first dial to its hub", () => {
  let repeater: AppProcess | undefined;
  let hub: TestHub | undefined;

  afterEach(async () => {
    repeater?.child.kill('SIGTERM');
    await repeater?.exited;
    await hub?.close();
    [repeater, hub] = [undefined, undefined];
  });

  async function startRepeaterFor(hubPort: number): Promise<AppProcess> {
    return runApp(builtApp('repeater'), {
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      REPEATER_HOST: '127.0.0.1',
      REPEATER_PORT: String(await freePort()),
      REPEATER_HUB_URL: `ws://127.0.0.1:${hubPort}`,
    });
  }

  it('is retried quietly while the hub is still starting, then connects', async () => {
    const hubPort = await freePort();
    repeater = await startRepeaterFor(hubPort);
    const running = repeater;
    await waitFor(
      () => logLines(running.output()).some((line) => /hub uplink: .*ECONNREFUSED/.test(line.msg)),
      'the first dial to be refused',
      20000,
    );

    hub = await startHub({ HUB_PORT: hubPort });
    await waitFor(
      () => logLines(running.output()).some((line) => line.msg.startsWith('hub uplink open')),
      'the uplink to open',
      10000,
    );
    expect(uplinkWarnings(running.output())).toEqual([]);
    // The refusals were logged, at debug.
    expect(
      logLines(running.output()).filter((line) => /ECONNREFUSED/.test(line.msg)).length,
    ).toBeGreaterThan(0);
  });

  it('warns once the hub has stayed away past the grace after start', async () => {
    repeater = await startRepeaterFor(await freePort());
    const running = repeater;
    await waitFor(
      () => uplinkWarnings(running.output()).length > 0,
      'a warning about the uplink',
      20000,
    );
    expect(uplinkWarnings(running.output())[0].msg).toMatch(/^hub uplink: .*ECONNREFUSED/);
  });
});
