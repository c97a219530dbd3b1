#!/usr/bin/env node
// The images' HEALTHCHECK: GET /health/live of the app in this container, at the address it
// listens on (HUB_HOST / REPEATER_HOST, HUB_PORT / REPEATER_PORT), exit 0 when it answers 2xx.
//
//   node healthcheck.js HUB 7100        node healthcheck.js REPEATER 7101
//
// An app listening on all interfaces ('', 0.0.0.0, ::) is asked on loopback. Liveness, not
// readiness: a repeater whose hub is down is alive, and is not to be restarted for it.
/* global fetch, AbortSignal */
const [prefix = 'HUB', defaultPort = '7100', path = '/health/live'] = process.argv.slice(2);

/** The host to ask, as a URL authority: loopback for a wildcard, brackets for IPv6. */
function hostToAsk(host) {
  const trimmed = (host ?? '').trim();
  if (trimmed === '' || trimmed === '0.0.0.0') return '127.0.0.1';
  if (trimmed === '::' || trimmed === '[::]') return '[::1]';
  if (trimmed.includes(':') && !trimmed.startsWith('[')) return `[${trimmed}]`;
  return trimmed;
}

const host = hostToAsk(process.env[`${prefix}_HOST`]);
const port = process.env[`${prefix}_PORT`] || defaultPort;
const url = `http://${host}:${port}${path}`;

fetch(url, { signal: AbortSignal.timeout(2500) }).then(
  (response) => {
    if (!response.ok) process.stderr.write(`${url} answered ${response.status}\n`);
    process.exit(response.ok ? 0 : 1);
  },
  (error) => {
    process.stderr.write(`${url}: ${error.cause?.message ?? error.message}\n`);
    process.exit(1);
  },
);
