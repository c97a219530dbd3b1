// The benchmarks start NATS clusters too: one helper for both, kept with the bench targets.
export * from '../../bench/targets/nats-cluster';
