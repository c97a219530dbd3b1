import type * as NatsCore from '@nats-io/nats-core';
import type * as NatsJetStream from '@nats-io/jetstream';
import type * as NatsKv from '@nats-io/kv';
import type * as NatsTransport from '@nats-io/transport-node';

/** The NATS client's packages: the core, the Node transport, JetStream and its KV buckets. */
export interface NatsClient {
  core: typeof NatsCore;
  transport: typeof NatsTransport;
  jetstream: typeof NatsJetStream;
  kv: typeof NatsKv;
}

let client: NatsClient | undefined;

/**
 * The NATS client, loaded on first use rather than with the hub: a hub outside cluster mode
 * never loads it, and so neither holds its code nor its start-up garbage.
 */
export function natsClient(): NatsClient {
  return (client ??= {
    core: require('@nats-io/nats-core') as typeof NatsCore,
    transport: require('@nats-io/transport-node') as typeof NatsTransport,
    jetstream: require('@nats-io/jetstream') as typeof NatsJetStream,
    kv: require('@nats-io/kv') as typeof NatsKv,
  });
}
