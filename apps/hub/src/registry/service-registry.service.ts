import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { DurableDelivery } from '../durable/durable-delivery';
import { LinkRegistry } from '../interconnect/link-registry';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { parseServiceDefinitions, ServiceDefinition } from './service-definitions';
import { ServiceWithdrawal, serviceWithdrawals } from './service-withdrawal';

const FETCH_TIMEOUT_MS = 5_000;

export interface RegistryState {
  source: string;
  services: number;
  /** When the copy in use was read (ISO time); absent until one was. */
  loadedAt?: string;
  /** Why the last read failed; absent once one succeeds again. */
  error?: string;
}

/**
 * The service registry (`HUB_REGISTRY`): which services exist, which events each wants queued
 * (its durable group, named after it: one instance gets each) and as a topic (every instance).
 * Re-read every `HUB_REGISTRY_REFRESH_MS`; the last good copy stays when a read fails. Queue
 * groups exist from startup, before any instance connects; an instance (a messenger connected
 * with `?service=<name>`) is subscribed by the hub to what its service lists.
 */
@Injectable()
export class ServiceRegistryService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(ServiceRegistryService.name);
  private services = new Map<string, ServiceDefinition>();
  private readonly instances = new Map<string, Set<PeerConnection>>();
  private timer?: NodeJS.Timeout;
  private appliedKey = '';
  readonly state: RegistryState;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly durable: DurableDelivery<PeerConnection>,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
    private readonly links: LinkRegistry<PeerConnection>,
    private readonly counters: HubCounters,
  ) {
    this.state = { source: config.registry.source, services: 0 };
  }

  get enabled(): boolean {
    return this.config.registry.source !== '';
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.registry.refreshMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Reads the registry and applies it; on failure keeps the copy in use and says why. */
  async refresh(): Promise<void> {
    let definitions: ServiceDefinition[];
    try {
      definitions = parseServiceDefinitions(await this.read());
    } catch (error) {
      const message = `cannot read the service registry ${this.state.source}: ${(error as Error).message}`;
      if (this.state.error !== message) this.log.error(`${message}; keeping the last good copy`);
      this.state.error = message;
      this.counters.reject('registry-unreadable');
      return;
    }
    if (this.state.error) this.log.log(`read the service registry ${this.state.source} again`);
    delete this.state.error;
    this.state.loadedAt = new Date().toISOString();
    this.state.services = definitions.length;
    this.apply(definitions);
  }

  /** A messenger connected as an instance of `service`. */
  join(peer: PeerConnection, service: string): void {
    let instances = this.instances.get(service);
    if (!instances) this.instances.set(service, (instances = new Set()));
    instances.add(peer);
    const definition = this.services.get(service);
    if (!definition) {
      this.counters.reject('unknown-service');
      return peer.sendError(`no service ${shorten(service)} in the hub's registry (yet)`);
    }
    if (this.subscribe(peer, definition)) this.links.groupsChanged();
  }

  left(peer: PeerConnection): void {
    for (const [service, instances] of this.instances)
      if (instances.delete(peer) && instances.size === 0) this.instances.delete(service);
  }

  private async read(): Promise<string> {
    const { source } = this.state;
    if (!/^https?:\/\//.test(source)) return readFile(source, 'utf8');
    const response = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  }

  private apply(definitions: ServiceDefinition[]): void {
    // An unchanged registry changes nothing (and tells linked hubs nothing).
    const key = JSON.stringify(definitions);
    if (key === this.appliedKey) return;
    this.appliedKey = key;
    const previous = this.services;
    this.services = new Map(definitions.map((definition) => [definition.name, definition]));
    for (const withdrawal of serviceWithdrawals(previous, this.services)) this.withdraw(withdrawal);
    for (const definition of definitions) {
      if (definition.queue.length > 0) this.durable.ensureGroup(definition.name, definition.queue);
      for (const peer of this.instances.get(definition.name) ?? [])
        this.subscribe(peer, definition);
    }
    // Linked hubs hear of the queue groups, held with or without members.
    this.links.groupsChanged();
  }

  /**
   * Takes from a service's instances what the registry no longer lists for it. A queue room
   * gone from a service that still has a queue is no longer held by its group; a service
   * without a queue any more (or gone) leaves its group whole, to expire memberless after
   * `HUB_DURABLE_GROUP_TTL_MS` with what it kept, unless it is listed again before.
   */
  private withdraw({ service, topic, queue, leavesGroup }: ServiceWithdrawal): void {
    for (const peer of this.instances.get(service) ?? []) {
      if (topic.length > 0) this.registry.unsubscribe(peer, topic);
      if (leavesGroup) this.registry.unsubscribe(peer, [], service);
      else if (queue.length > 0) this.registry.unsubscribe(peer, queue, service);
    }
    if (!leavesGroup && queue.length > 0) this.durable.releaseRooms(service, queue);
  }

  /** Subscribes an instance to its service's rooms that its token grants; true when it has a group. */
  private subscribe(peer: PeerConnection, definition: ServiceDefinition): boolean {
    const refused = [...definition.queue, ...definition.topic].filter((room) => !peer.mayGet(room));
    if (refused.length > 0) {
      this.counters.reject('subscribe-forbidden');
      peer.sendError(`your token does not grant these rooms of service ${definition.name}`, [
        {
          field: 'rooms',
          errors: refused.slice(0, 10).map((room) => `${shorten(room)}: not granted`),
        },
      ]);
    }
    const queue = definition.queue.filter((room) => peer.mayGet(room));
    const topic = definition.topic.filter((room) => peer.mayGet(room));
    if (topic.length > 0) this.registry.subscribe(peer, topic);
    if (queue.length === 0) return false;
    this.registry.subscribe(peer, queue, definition.name, true);
    this.durable.memberJoined(this.registry.group(definition.name)!, peer);
    return true;
  }
}

function shorten(text: string): string {
  return text.length <= 64 ? text : `${text.slice(0, 61)}...`;
}
