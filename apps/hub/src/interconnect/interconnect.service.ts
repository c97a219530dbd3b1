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
import { MESH_MESSAGE_LIMITS } from '@ces/protocol';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { ConnectionsService } from '../connections/connections.service';
import { PeerConnection } from '../connections/peer-connection';
import { AddressAllowlist } from '../limits/address-allowlist';
import { RateLimitedLogger } from '@ces/server-kit';
import { ForgetClock } from './forget-clock';
import { doubledGoLinks, GoLinkEnd } from './go-link-doubles';
import { hubLinkUrl } from './hub-address';
import { LinkEvents } from './link-events';
import { LinkRegistry } from './link-registry';
import { HubLink, HubLinkOrigin, HubLinkState } from './hub-link';

/** One link as GET /interconnect shows it. */
export interface LinkView {
  address: string;
  url?: string;
  direction: 'in' | 'out';
  remoteHubId?: string;
  /** Where the other hub says it may be dialed (its mesh entry), once it said so. */
  advertises?: string;
  state: HubLinkState;
  /** Out links only: an operator's, or learned from the mesh (forgotten when down a while). */
  origin?: HubLinkOrigin;
  since: string;
  eventsIn: number;
  eventsOut: number;
  /** Events this link did not carry: too large to take in, or over its send budget. */
  dropped: { tooLarge: number; slowConsumer: number };
  lastError?: string;
  /** Set when the link looks like one of two between this hub and an original Go hub. */
  warning?: string;
}

/** How long POST /interconnect waits for the first attempt before answering with the state so far. */
const FIRST_ATTEMPT_WAIT_MS = 5_000;

const DOUBLE_GO_LINK =
  'an original Go hub at this IP is linked both ways: every event crosses twice; let only one side dial';

/**
 * Most links learned from the mesh at once: what linked hubs tell us cannot make this hub
 * dial without end (each list is bounded, but lists keep coming).
 */
const MAX_LEARNED_LINKS = MESH_MESSAGE_LIMITS.maxMembers;

/** How often learned links are checked for being down long enough to forget, at most. */
const MAX_SWEEP_MS = 5_000;

/**
 * Owns the links this hub dials to other hubs: the operator's (POST/DELETE /interconnect,
 * HUB_PEERS), kept until deleted, and those learned from the mesh, removed once down for
 * HUB_MESH_FORGET_MS.
 */
@Injectable()
export class InterconnectService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InterconnectService.name);
  private readonly rateLimited = new RateLimitedLogger(this.logger);
  private readonly links = new Map<string, HubLink>();
  private readonly peerOfLink = new Map<HubLink, PeerConnection>();
  private readonly allowlist: AddressAllowlist;
  private readonly forget: ForgetClock;
  private sweeper?: NodeJS.Timeout;
  /** The mesh's view of where a linked hub may be dialed (set by MeshService, which owns it). */
  private advertisedBy: (remoteHubId: string) => string | undefined = () => undefined;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly connections: ConnectionsService,
    private readonly linkRegistry: LinkRegistry<PeerConnection>,
    events: LinkEvents,
  ) {
    this.allowlist = new AddressAllowlist(config.interconnectAllow);
    this.forget = new ForgetClock(config.mesh.forgetMs);
    events.listen({
      opened: (peer) => this.warnOfDoubleGoLink(peer),
      closed: () => undefined,
      members: () => undefined,
    });
  }

  onApplicationBootstrap(): void {
    for (const address of this.config.peers) {
      this.link(address).catch((error: Error) =>
        this.logger.error(`HUB_PEERS ${address}: ${error.message}`),
      );
    }
    const every = Math.min(MAX_SWEEP_MS, Math.max(50, this.config.mesh.forgetMs / 4));
    this.sweeper = setInterval(() => this.forgetDownLinks(Date.now()), every);
    this.sweeper.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.sweeper);
    for (const link of this.links.values()) link.stop();
    this.links.clear();
  }

  /**
   * An operator's link to another hub (once per address), reported after its first attempt.
   * A link the mesh had made to that address becomes the operator's.
   */
  async link(address: string): Promise<{ created: boolean; link: LinkView }> {
    const url = this.urlOf(address);
    if (!this.allowlist.allows(url))
      throw new ForbiddenException(`${address} is not in HUB_INTERCONNECT_ALLOW`);
    this.forget.lift(url);
    const existing = this.links.get(url);
    if (existing) {
      existing.origin = 'operator';
      this.forget.drop(url);
      return { created: false, link: this.view(existing) };
    }
    const link = this.startLink(address, url, 'operator');
    await Promise.race([link.firstAttempt, delay(FIRST_ATTEMPT_WAIT_MS)]);
    if (link.state === 'refused') {
      this.links.delete(url);
      link.stop();
      throw new ConflictException(link.lastError);
    }
    return { created: true, link: this.view(link) };
  }

  /**
   * A member of the mesh another hub told us of: dialed unless its address is not allowed
   * by HUB_INTERCONNECT_ALLOW, already dialed, or barred (deleted here, or found to be this
   * hub, within the forget period). Returns whether a link was started.
   */
  learn(id: string, address: string): boolean {
    let url: string;
    try {
      url = hubLinkUrl(address);
    } catch {
      this.rateLimited.warn('mesh-address', `the mesh named ${id} at a bad address "${address}"`);
      return false;
    }
    const now = Date.now();
    if (this.links.has(url) || this.forget.isBarred(url, now) || this.forget.isBarred(id, now))
      return false;
    if (this.learnedCount() >= MAX_LEARNED_LINKS) {
      this.rateLimited.warn(
        'mesh-full',
        `not linking to ${id}: ${MAX_LEARNED_LINKS} learned links`,
      );
      return false;
    }
    if (!this.allowlist.allows(url)) {
      this.rateLimited.warn(
        'mesh-refused',
        `not linking to ${id} at ${address}, learned from the mesh: not in HUB_INTERCONNECT_ALLOW`,
      );
      return false;
    }
    this.logger.log(`linking to ${id} at ${address}, learned from the mesh`);
    this.startLink(address, url, 'mesh', id);
    return true;
  }

  private learnedCount(): number {
    let count = 0;
    for (const link of this.links.values()) if (link.origin === 'mesh') count++;
    return count;
  }

  /** Lets the mesh show in each link where the other hub says it may be dialed. */
  showAdvertisedAddresses(lookup: (remoteHubId: string) => string | undefined): void {
    this.advertisedBy = lookup;
  }

  /** True when this hub dials `remoteHubId` already (in any state but refused). */
  dials(remoteHubId: string): boolean {
    for (const link of this.links.values())
      if (link.remoteHubId === remoteHubId && link.state !== 'refused') return true;
    return false;
  }

  /**
   * Removes a link this hub dialed, here only: the other hubs keep theirs (and may still
   * tell this hub of that address), but this hub learns neither the address nor the hub
   * id again from the mesh for HUB_MESH_FORGET_MS.
   */
  unlink(address: string): void {
    const url = this.urlOf(address);
    const link = this.links.get(url);
    if (!link) throw new NotFoundException(`no link to ${address}`);
    const now = Date.now();
    this.forget.bar(url, now);
    if (link.remoteHubId !== undefined) this.forget.bar(link.remoteHubId, now);
    this.remove(link);
  }

  list(): LinkView[] {
    const doubles = this.goLinkDoubles();
    const warningOf = (name: string) => {
      const others = doubles.get(name);
      return others && `${DOUBLE_GO_LINK} (${others.join(', ')})`;
    };
    const outgoing = [...this.links.values()].map((link) => ({
      ...this.view(link),
      warning: warningOf(link.url),
    }));
    const incoming = [...this.linkRegistry.all]
      .filter((peer) => peer.direction === 'in')
      .map((peer) => ({
        address: peer.remoteAddress,
        direction: 'in' as const,
        remoteHubId: peer.remoteHubId,
        advertises: this.advertisedOf(peer.remoteHubId),
        state: 'open' as const,
        since: new Date(peer.connectedAt).toISOString(),
        eventsIn: peer.eventsIn,
        eventsOut: peer.eventsOut,
        dropped: droppedOf(peer),
        warning: warningOf(peer.remoteAddress),
      }));
    return [...outgoing, ...incoming];
  }

  /** Open links to and from hubs that sent no id, paired by IP (see `doubledGoLinks`). */
  private goLinkDoubles(): Map<string, string[]> {
    const incoming: GoLinkEnd[] = [];
    const outgoing: GoLinkEnd[] = [];
    for (const peer of this.linkRegistry.all) {
      if (peer.remoteHubId !== undefined) continue;
      // A link this hub dialed is known by its URL; the IP is what its socket reached.
      const ip =
        peer.direction === 'in' ? peer.remoteIp : this.links.get(peer.remoteAddress)?.remoteIp;
      if (ip)
        (peer.direction === 'in' ? incoming : outgoing).push({ name: peer.remoteAddress, ip });
    }
    return doubledGoLinks(incoming, outgoing);
  }

  /** Logged when such a pair appears; the links stay up (a guess must not cut a hub off). */
  private warnOfDoubleGoLink(peer: PeerConnection): void {
    if (peer.remoteHubId !== undefined) return;
    const others = this.goLinkDoubles().get(peer.remoteAddress);
    if (others)
      this.rateLimited.warn(
        'double-go-link',
        `${peer.id} at ${peer.remoteAddress}: ${DOUBLE_GO_LINK} (${others.join(', ')})`,
      );
  }

  private startLink(
    address: string,
    url: string,
    origin: HubLinkOrigin,
    remoteHubId?: string,
  ): HubLink {
    const link: HubLink = new HubLink(
      address,
      url,
      {
        ownHubId: this.config.hubId,
        linkToken: this.config.auth.linkToken || undefined,
        backoff: {
          initialDelayMs: this.config.linkBackoff.initialMs,
          maxDelayMs: this.config.linkBackoff.maxMs,
          jitter: 0.2,
        },
        maxPayload: this.config.linkMaxFrameBytes,
        attach: (socket, remoteHubId) => this.attach(link, socket, remoteHubId),
        stateChanged: (state) => this.onStateChanged(link, state),
      },
      { origin, remoteHubId },
    );
    this.links.set(url, link);
    link.start();
    return link;
  }

  /** A learned address that turned out to be this hub is dropped, and not learned again for a while. */
  private onStateChanged(link: HubLink, state: HubLinkState): void {
    if (state !== 'refused' || link.origin !== 'mesh') return;
    this.forget.bar(link.url, Date.now());
    this.remove(link);
  }

  /**
   * Removes each learned link that has been down for the forget period. A link waiting in
   * standby while the other hub's link to us is open is not down: the pair is linked.
   */
  private forgetDownLinks(now: number): void {
    for (const link of [...this.links.values()]) {
      if (link.origin !== 'mesh') continue;
      const paired =
        link.remoteHubId !== undefined && this.linkRegistry.conflictFor(link.remoteHubId);
      const down = link.state !== 'open' && !paired;
      if (!this.forget.observe(link.url, down, now)) continue;
      this.logger.log(
        `forgetting ${link.remoteHubId ?? link.address}: learned from the mesh, down since ${link.since.toISOString()}`,
      );
      this.remove(link);
    }
  }

  private remove(link: HubLink): void {
    link.stop();
    if (this.links.get(link.url) === link) this.links.delete(link.url);
    this.peerOfLink.delete(link);
    this.forget.drop(link.url);
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
      advertises: current ? this.advertisedOf(link.remoteHubId) : undefined,
      state: link.state,
      origin: link.origin,
      since: link.since.toISOString(),
      eventsIn: current?.eventsIn ?? 0,
      eventsOut: current?.eventsOut ?? 0,
      dropped: current ? droppedOf(current) : { tooLarge: 0, slowConsumer: 0 },
      lastError: link.lastError,
    };
  }

  private advertisedOf(remoteHubId: string | undefined): string | undefined {
    return remoteHubId === undefined ? undefined : this.advertisedBy(remoteHubId);
  }

  private urlOf(address: string): string {
    try {
      return hubLinkUrl(address);
    } catch (error) {
      throw new BadRequestException((error as Error).message);
    }
  }
}

function droppedOf(peer: PeerConnection): LinkView['dropped'] {
  return { tooLarge: peer.droppedTooLarge, slowConsumer: peer.socket.dropped.events };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
