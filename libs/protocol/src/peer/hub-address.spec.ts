import { parseHubAddress } from './hub-address';

describe('parseHubAddress', () => {
  it.each([
    ['ws://localhost:7100', 'ws://localhost:7100', 'http://localhost:7100'],
    ['http://10.0.0.5:7100/', 'ws://10.0.0.5:7100', 'http://10.0.0.5:7100'],
    ['wss://ces.example.com', 'wss://ces.example.com', 'https://ces.example.com'],
    ['https://ces.example.com/hub/', 'wss://ces.example.com/hub', 'https://ces.example.com/hub'],
    ['hub-b', 'ws://hub-b:7100', 'http://hub-b:7100'],
    ['hub-b:80', 'ws://hub-b', 'http://hub-b'],
    ['127.0.0.1:7300', 'ws://127.0.0.1:7300', 'http://127.0.0.1:7300'],
    ['[::1]', 'ws://[::1]:7100', 'http://[::1]:7100'],
    ['[::1]:7200', 'ws://[::1]:7200', 'http://[::1]:7200'],
    ['  localhost:7100?x=1#y ', 'ws://localhost:7100', 'http://localhost:7100'],
  ])('reads %j', (input, ws, http) => {
    expect(parseHubAddress(input)).toEqual({ ws, http });
  });

  it.each([
    ['ftp://hub-b', /must be a ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/ address/],
    ['http://', /is not a hub address/],
    ['ws://exa mple', /is not a hub address/],
  ])('refuses %j, naming it', (input, message) => {
    expect(() => parseHubAddress(input)).toThrow(message);
    expect(() => parseHubAddress(input)).toThrow(input);
  });
});
