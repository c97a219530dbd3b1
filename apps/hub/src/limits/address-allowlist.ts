import { BlockList, isIP } from 'node:net';
import picomatch from 'picomatch';

interface Entry {
  matchesHost: (host: string) => boolean;
  port?: number;
}

/**
 * The addresses /interconnect may dial: hostnames (with globs such as `*.example.com`), IP
 * addresses and CIDR ranges, each optionally with `:port`. Hostnames are matched as given,
 * not resolved. An empty list allows every address.
 */
export class AddressAllowlist {
  private readonly entries: Entry[];

  constructor(patterns: readonly string[]) {
    this.entries = patterns.map(parseEntry);
  }

  get isOpen(): boolean {
    return this.entries.length === 0;
  }

  allows(url: string): boolean {
    if (this.isOpen) return true;
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = Number(parsed.port || (parsed.protocol === 'wss:' ? 443 : 80));
    return this.entries.some(
      (entry) => entry.matchesHost(host) && (entry.port === undefined || entry.port === port),
    );
  }
}

function parseEntry(pattern: string): Entry {
  const { host, port } = splitPort(pattern.trim().toLowerCase());
  const [address, prefix] = host.split('/');
  const family = isIP(address);
  if (family !== 0) {
    const list = new BlockList();
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix !== undefined) list.addSubnet(address, Number(prefix), type);
    else list.addAddress(address, type);
    return {
      matchesHost: (candidate) => isIP(candidate) === family && list.check(candidate, type),
      port,
    };
  }
  const matches = picomatch(host, { nocase: true });
  return { matchesHost: (candidate) => matches(candidate), port };
}

function splitPort(pattern: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(pattern);
  if (bracketed)
    return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined };
  const parts = pattern.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1]))
    return { host: parts[0], port: Number(parts[1]) };
  return { host: pattern };
}
