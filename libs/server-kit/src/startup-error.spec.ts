import { Writable } from 'node:stream';
import {
  colourAllowed,
  describeStartupFailure,
  reportStartupFailure,
  reportStartupWarning,
} from './startup-error';
import { ConfigurationError } from './settings';

const context = { app: 'hub', portSetting: 'HUB_PORT', hostSetting: 'HUB_HOST' };

function stream(isTTY: boolean) {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & { isTTY?: boolean };
  out.isTTY = isTTY;
  return { out, text: () => text };
}

const listenError = (code: string) =>
  Object.assign(new Error(`listen ${code}`), {
    code,
    syscall: 'listen',
    address: '10.9.9.9',
    port: 7100,
  });

describe('startup failures', () => {
  it('are lines that name the setting, the value and what is allowed', () => {
    const config = new ConfigurationError([
      { setting: 'HUB_PORT', value: 'abc', allowed: 'a whole number from 0 to 65535' },
    ]);
    expect(describeStartupFailure(config, context)).toEqual([
      'HUB_PORT="abc" is not valid: a whole number from 0 to 65535',
    ]);
    expect(describeStartupFailure(listenError('EADDRINUSE'), context)).toEqual([
      'HUB_PORT=7100 is not usable: the port is in use; stop what listens there or choose another port',
    ]);
    expect(describeStartupFailure(listenError('EACCES'), context)[0]).toMatch(/^HUB_PORT=7100 /);
    expect(describeStartupFailure(listenError('EADDRNOTAVAIL'), context)[0]).toMatch(
      /^HUB_HOST="10\.9\.9\.9" is not valid/,
    );
  });

  it('never carry a stack trace', () => {
    const lines = describeStartupFailure(new Error('first line\n    at somewhere'), context);
    expect(lines).toEqual(['cannot start: first line']);
  });

  it('are coloured only in a terminal without NO_COLOR', () => {
    const piped = stream(false);
    reportStartupFailure(new Error('x'), context, piped.out);
    reportStartupWarning('HUB_X is not a setting of the hub', context, piped.out);
    expect(piped.text()).toBe(
      'hub: error: cannot start: x\nhub: warning: HUB_X is not a setting of the hub\n',
    );
    const noColor = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const terminal = stream(true);
      reportStartupFailure(new Error('x'), context, terminal.out);
      expect(terminal.text()).toBe('hub: \u001b[31merror\u001b[39m: cannot start: x\n');
    } finally {
      if (noColor !== undefined) process.env.NO_COLOR = noColor;
    }
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ isTTY: true }, {})).toBe(true);
    expect(colourAllowed({ isTTY: false }, {})).toBe(false);
  });
});
