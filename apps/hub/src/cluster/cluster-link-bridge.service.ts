import { Injectable } from '@nestjs/common';
import { PeerConnection } from '../connections/peer-connection';
import { LinkRegistry } from '../interconnect/link-registry';
import { LinkBridgeInterest } from './link-bridge-interest';
import { NatsBackbone } from './nats-backbone.service';

/**
 * Cluster mode: the hubs linked to this one by `/interconnect` are outside the cluster (an
 * original Go hub, one of ours not in cluster mode). This hub holds on NATS the rooms they
 * want (every room while one wants everything), so that what enters the cluster elsewhere
 * from a messenger or a repeater reaches them through it, once per link.
 */
@Injectable()
export class ClusterLinkBridge {
  constructor(backbone: NatsBackbone, links: LinkRegistry<PeerConnection>) {
    if (!backbone.enabled) return;
    const bridge = new LinkBridgeInterest<PeerConnection>({
      hold: (room) => backbone.holdRoom(room),
      release: (room) => backbone.releaseRoom(room),
    });
    links.watchLinkInterest({
      changed: (peer, interest, touched) =>
        interest ? bridge.changed(peer, interest, touched) : bridge.closed(peer),
    });
  }
}
