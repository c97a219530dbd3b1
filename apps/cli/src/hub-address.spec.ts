import { CliError, EXIT_BAD_INPUT } from './cli-error';
import { hubAddress } from './hub-address';

describe('hubAddress', () => {
  it.each([
    ['ws://localhost:7100', 'ws://localhost:7100', 'http://localhost:7100'],
    ['http://10.0.0.5:7100/', 'ws://10.0.0.5:7100', 'http://10.0.0.5:7100'],
    ['wss://ces.example.com', 'wss://ces.example.com', 'https://ces.example.com'],
    ['https://ces.example.com/hub/', 'wss://ces.example.com/hub', 'https://ces.example.com/hub'],
    ['hub-b', 'ws://hub-b:7100', 'http://hub-b:7100'],
    ['hub-b:80', 'ws://hub-b', 'http://hub-b'],
    ['[::1]', 'ws://[::1]:7100', 'http://[::1]:7100'],
    ['[::1]:7200', 'ws://[::1]:7200', 'http://[::1]:7200'],
    ['  localhost:7100?x=1#y ', 'ws://localhost:7100', 'http://localhost:7100'],
  ])('reads %j', (input, ws, http) => {
    expect(hubAddress(input)).toEqual({ ws, http });
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
  });
});
