import type { NatsConnection } from '@nats-io/nats-core';
import { GroupDirectoryService } from '../../apps/hub/src/cluster/group-directory.service';
import { natsClient } from '../../apps/hub/src/cluster/nats-client';
import { HubConfig } from '../../apps/hub/src/config/hub-config';
import { PeerConnection } from '../../apps/hub/src/connections/peer-connection';
import { SubscriptionRegistry } from '../../apps/hub/src/routing/subscription-registry';
import { NatsCluster, startNatsCluster } from '../support/nats-cluster';
import { waitFor } from '../support/wait-for';

const PREFIX = 'stopping';

/**
 * A watch of the directory's bucket is an ordered push consumer with an idle-heartbeat timer:
 * one left running after its hub stopped goes on resetting itself, on a closed connection
 * too, and keeps the process alive. The connection stays open here, so a watch left running
 * shows on the server as a consumer of the bucket still bound to a subscriber.
 */
describe('the group directory, stopped', () => {
  let nats: NatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsCluster(3);
    nc = await natsClient().transport.connect({ servers: nats.nodes[0].url });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  const directory = () =>
    new GroupDirectoryService(
      {
        hubId: 'hub-a',
        cluster: { subjectPrefix: PREFIX, stream: { replicas: 1 } },
      } as unknown as HubConfig,
      new SubscriptionRegistry<PeerConnection>(),
    );

  async function boundWatches(bucket: string): Promise<{ made: number; bound: number }> {
    const jsm = await natsClient().jetstream.jetstreamManager(nc);
    const consumers = await jsm.consumers.list(`KV_${bucket}`).next();
    return { made: consumers.length, bound: consumers.filter((c) => c.push_bound).length };
  }

  it('while its watch is being made, leaves no watch running', async () => {
    const stopping = directory();
    stopping.attach(nc);
    // Looked at every turn: the bucket is open and the watch asked for, not yet made (that
    // takes a round trip to the server). Stop now.
    const deadline = Date.now() + 10_000;
    while (!stopping.view()!.connected && Date.now() < deadline)
      await new Promise((resolve) => setImmediate(resolve));
    stopping.stop();
    // The server made the watch's consumer; nothing may still be subscribed to it.
    await waitFor(async () => {
      const { made, bound } = await boundWatches(stopping.bucket);
      return made > 0 && bound === 0;
    }, 'the watch made and unbound');
  }, 30_000);
});
