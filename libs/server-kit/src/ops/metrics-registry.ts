import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

// App-agnostic: the repeater uses this file too. (A candidate for a shared libs/ops library.)

let processRegistry: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, handles, event-loop lag, GC), collected once per
 * process however many apps it runs: prom-client refuses to register them twice.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * One app's metrics. Each app gets its own registry rather than prom-client's global one,
 * so two hubs in one process (as in the tests) never share or clash over a series.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text: this app's series and the process's. */
  metrics(): Promise<string> {
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }
}

/** An address fit for a label: no credentials, query or fragment (send-map URLs may carry them). */
export function addressLabel(address: string): string {
  try {
    const url = new URL(address);
    if (!url.username && !url.password && !url.search && !url.hash) return address;
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return address.replace(/[?#].*$/, '');
  }
}
