import {
  BadRequestException,
  BeforeApplicationShutdown,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from '../connections/connections.service';
import { PeerConnection } from '../connections/peer-connection';
import { AddressAllowlist } from '../limits/address-allowlist';
import { hubLinkUrl } from './hub-address';
import { LinkRegistry } from './link-registry';
import { HubLink, HubLinkState } from './hub-link';

/** One link as GET /interconnect shows it. */
export interface LinkView {
  address: string;
  url?: string;
  direction: 'in' | 'out';
  remoteHubId?: string;
  state: HubLinkState;
  since: string;
  eventsIn: number;
  eventsOut: number;
  lastError?: string;
}

/** How long POST /interconnect waits for the first attempt before answering with the state so far. */
const FIRST_ATTEMPT_WAIT_MS = 5_000;

/** Owns the links this hub dials to other hubs (POST/DELETE /interconnect, HUB_PEERS). */
@Injectable()
export class InterconnectService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InterconnectService.name);
  private readonly links = new Map<string, HubLink>();
  private readonly peerOfLink = new Map<HubLink, PeerConnection>();
  private readonly allowlist: AddressAllowlist;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
    private readonly linkRegistry: LinkRegistry<PeerConnection>,
  ) {
    this.allowlist = new AddressAllowlist(config.interconnectAllow);
  }

  onApplicationBootstrap(): void {
    for (const address of this.config.peers) {
      this.link(address).catch((error: Error) =>
        this.logger.error(`HUB_PEERS ${address}: ${error.message}`),
      );
    }
  }

  beforeApplicationShutdown(): void {
    for (const link of this.links.values()) link.stop();
    this.links.clear();
  }

  /** Links to another hub (once per address) and reports the link after its first attempt. */
  async link(address: string): Promise<{ created: boolean; link: LinkView }> {
    const url = this.urlOf(address);
    if (!this.allowlist.allows(url))
      throw new ForbiddenException(`${address} is not in HUB_INTERCONNECT_ALLOW`);
    const existing = this.links.get(url);
    if (existing) return { created: false, link: this.view(existing) };

    const link: HubLink = new HubLink(address, url, {
      ownHubId: this.config.hubId,
      linkToken: this.config.auth.linkToken || undefined,
      backoff: {
        initialDelayMs: this.config.linkBackoff.initialMs,
        maxDelayMs: this.config.linkBackoff.maxMs,
        jitter: 0.2,
      },
      maxPayload: this.config.frameLimits.maxFrameBytes,
      attach: (socket, remoteHubId) => this.attach(link, socket, remoteHubId),
    });
    this.links.set(url, link);
    link.start();
    await Promise.race([link.firstAttempt, delay(FIRST_ATTEMPT_WAIT_MS)]);
    if (link.state === 'refused') {
      this.links.delete(url);
      link.stop();
      throw new ConflictException(link.lastError);
    }
    return { created: true, link: this.view(link) };
  }

  unlink(address: string): void {
    const url = this.urlOf(address);
    const link = this.links.get(url);
    if (!link) throw new NotFoundException(`no link to ${address}`);
    link.stop();
    this.links.delete(url);
    this.peerOfLink.delete(link);
  }

  list(): LinkView[] {
    const outgoing = [...this.links.values()].map((link) => this.view(link));
    const incoming = [...this.linkRegistry.all]
      .filter((peer) => peer.direction === 'in')
      .map((peer) => ({
        address: peer.remoteAddress,
        direction: 'in' as const,
        remoteHubId: peer.remoteHubId,
        state: 'open' as const,
        since: peer.connectedAt.toISOString(),
        eventsIn: peer.eventsIn,
        eventsOut: peer.eventsOut,
      }));
    return [...outgoing, ...incoming];
  }

  private attach(
    link: HubLink,
    socket: import('ws').WebSocket,
    remoteHubId: string | undefined,
  ): boolean {
    const peer = this.connections.accept(socket, 'hub', {
      remoteAddress: link.url,
      remoteIp: link.url,
      remoteHubId,
      direction: 'out',
    });
    if (peer) this.peerOfLink.set(link, peer);
    return peer !== undefined;
  }

  private view(link: HubLink): LinkView {
    const peer = this.peerOfLink.get(link);
    const current = link.state === 'open' && peer?.isOpen ? peer : undefined;
    return {
      address: link.address,
      url: link.url,
      direction: 'out',
      remoteHubId: link.remoteHubId,
      state: link.state,
      since: link.since.toISOString(),
      eventsIn: current?.eventsIn ?? 0,
      eventsOut: current?.eventsOut ?? 0,
      lastError: link.lastError,
    };
  }

  private urlOf(address: string): string {
    try {
      return hubLinkUrl(address);
    } catch (error) {
      throw new BadRequestException((error as Error).message);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
