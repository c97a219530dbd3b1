import { CliError, EXIT_BAD_INPUT } from './cli-error';
import { hubAddress } from './hub-address';

describe('hubAddress', () => {
  it('reads --hub by the clients’ shared rules', () => {
    expect(hubAddress('hub-b')).toEqual({ ws: 'ws://hub-b:7100', http: 'http://hub-b:7100' });
  });

  it.each(['ftp://hub-b', 'http://', 'ws://exa mple'])('refuses %j as bad input', (input) => {
    let error: unknown;
    try {
      hubAddress(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT_BAD_INPUT);
    expect((error as CliError).message).toContain('--hub');
  });
});
