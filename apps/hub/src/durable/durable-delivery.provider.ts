import { Logger, Provider } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { Delivery } from '../forwarding/delivery';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import { HubCounters } from '../status/hub-counters';
import { DURABLE_STORE } from '../store/durable-store.provider';
import { DurableStore } from '../store/durable-store';
import { DurableDelivery } from './durable-delivery';

/**
 * Durable delivery is a plain class (unit-tested without Nest); this builds it from the config
 * and restores what the store holds before the hub takes its first peer.
 */
export const durableDeliveryProvider: Provider = {
  provide: DurableDelivery,
  inject: [HUB_CONFIG, SubscriptionRegistry, HubCounters, Delivery, DURABLE_STORE],
  useFactory: (
    config: HubConfig,
    registry: SubscriptionRegistry<PeerConnection>,
    counters: HubCounters,
    delivery: Delivery,
    store: DurableStore,
  ) => {
    const durable = new DurableDelivery<PeerConnection>(
      {
        group: {
          maxEvents: config.durable.maxEvents,
          maxBytes: config.durable.maxBytes,
          maxAgeMs: config.durable.maxAgeMs,
          perRoom: config.durable.perRoom,
        },
        repeaters: config.repeaterBacklog,
        ackTimeoutMs: config.durable.ackTimeoutMs,
        groupTtlMs: config.durable.groupTtlMs,
      },
      registry,
      counters,
      delivery.toGroupMember,
      store,
    );
    const restored = durable.restore();
    if (restored.groups > 0)
      new Logger('DurableDelivery').log(
        `restored ${restored.groups} durable groups with ${restored.events} events not acknowledged`,
      );
    return durable;
  },
};
