import { Provider } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { Delivery } from '../forwarding/delivery';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { DurableDelivery } from './durable-delivery';

/** Durable delivery is a plain class (unit-tested without Nest); this builds it from the config. */
export const durableDeliveryProvider: Provider = {
  provide: DurableDelivery,
  inject: [HUB_CONFIG, SubscriptionRegistry, HubCounters, Delivery],
  useFactory: (
    config: HubConfig,
    registry: SubscriptionRegistry<PeerConnection>,
    counters: HubCounters,
    delivery: Delivery,
  ) =>
    new DurableDelivery<PeerConnection>(
      {
        group: {
          maxEvents: config.durable.maxEvents,
          maxBytes: config.durable.maxBytes,
          maxAgeMs: config.durable.maxAgeMs,
        },
        repeaters: config.repeaterBacklog,
        ackTimeoutMs: config.durable.ackTimeoutMs,
        groupTtlMs: config.durable.groupTtlMs,
      },
      registry,
      counters,
      delivery.toGroupMember,
    ),
};
