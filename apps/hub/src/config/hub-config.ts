import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { connectPath, EventProfileName, FrameLimits } from '@ces/protocol';
import { commaList, serverConfigOf, ServerConfig, TokenOptions } from '@ces/server-kit';
import { keptOrRandomHubId, randomHubId } from '../store/hub-identity';
import { HubEnvironment } from './hub-environment';

/** The hub's settings in the shape its services use them. */
export interface HubConfig extends Omit<ServerConfig, 'auth'> {
  hubId: string;
  pingIntervalMs: number;
  frameLimits: FrameLimits;
  /** The largest frame a hub link may send; frames over `frameLimits.maxFrameBytes` are dropped. */
  linkMaxFrameBytes: number;
  /** Links that dial us get their own frame limit (the ws server's is the messengers'). */
  frameLimitsByPath: Readonly<Record<string, number>>;
  sendHighWaterBytes: number;
  linkSendHighWaterBytes: number;
  slowConsumerMs: number;
  shutdownGraceMs: number;
  repeaterBacklog: { maxEvents: number; maxBytes: number; expectedMs: number };
  durable: {
    maxEvents: number;
    maxBytes: number;
    maxAgeMs: number;
    ackTimeoutMs: number;
    maxGroups: number;
    groupTtlMs: number;
    /** Bounds of one room's events within a group's backlog; none when neither is set. */
    perRoom?: { maxEvents: number; maxBytes: number };
  };
  store: StoreConfig;
  registry: { source: string; refreshMs: number };
  /** Always false: the hub's peer sockets answer pings within each peer's send budget. */
  autoPong: false;
  linkBackoff: { initialMs: number; maxMs: number };
  /** Links carry only the events of rooms the hub behind them has subscribers for. */
  linkInterest: boolean;
  peers: string[];
  auth: TokenOptions & { linkToken: string };
  eventProfile: EventProfileName;
  enrich: boolean;
  interconnectAllow: string[];
  mesh: {
    /** HUB_ADVERTISE as given; empty: derived from host and port (see MeshService). */
    advertise: string;
    forgetMs: number;
  };
  /** Cluster mode (NATS); undefined: off. */
  cluster?: ClusterConfig;
  limits: {
    maxRoomsPerPeer: number;
    maxGroupsPerPeer: number;
    publishRate: number;
    publishBurst: number;
    publishLimitPolicy: 'drop' | 'close';
  };
  /** Rooms that keep their last events, and the bounds of what they keep and replay. */
  history: { rooms: string[]; size: number; ttlMs: number; maxRecovery: number };
  /** Publish confirms: publishers remembered for `windowMs` after last heard of, at most `maxPublishers`. */
  confirms: { windowMs: number; maxPublishers: number };
}

/** Where durable groups' events are kept. */
export interface StoreConfig {
  kind: 'sqlite' | 'memory';
  dataDir: string;
  /** The SQLite file of this hub: `<dataDir>/<hubId>.sqlite`. */
  file: string;
  sync: 'normal' | 'full';
  /** 0: no limit. */
  maxBytes: number;
  /** The WAL's file is checkpointed on the store's own connection beyond this. */
  maxWalBytes: number;
}

/** How the hub reaches its NATS cluster. */
export interface ClusterConfig {
  servers: string[];
  token: string;
  user: string;
  password: string;
  tlsCa: string;
  subjectPrefix: string;
  buffer: { maxEvents: number; maxBytes: number };
  /** The durable groups' JetStream stream: its replicas and its bytes in all. */
  stream: { replicas: number; maxBytes: number };
}

export const HUB_CONFIG = Symbol('HUB_CONFIG');

function clusterConfigOf(settings: HubEnvironment): ClusterConfig | undefined {
  const servers = commaList(settings.HUB_NATS_SERVERS);
  if (servers.length === 0) return undefined;
  return {
    servers,
    token: settings.HUB_NATS_TOKEN,
    user: settings.HUB_NATS_USER,
    password: settings.HUB_NATS_PASSWORD,
    tlsCa: settings.HUB_NATS_TLS_CA,
    subjectPrefix: settings.HUB_NATS_SUBJECT_PREFIX,
    buffer: {
      maxEvents: settings.HUB_NATS_BUFFER_EVENTS,
      maxBytes: settings.HUB_NATS_BUFFER_BYTES,
    },
    stream: {
      replicas: settings.HUB_NATS_REPLICAS,
      maxBytes: settings.HUB_NATS_STREAM_MAX_BYTES,
    },
  };
}

/**
 * A room's own bounds within a durable group, where one is set (0: the group's bound). With
 * neither set there are none, so what the group's bound drops is counted as the group's.
 */
function perRoomBounds(settings: HubEnvironment): HubConfig['durable']['perRoom'] {
  const { HUB_DURABLE_ROOM_MAX_EVENTS: events, HUB_DURABLE_ROOM_MAX_BYTES: bytes } = settings;
  if (events === 0 && bytes === 0) return undefined;
  return {
    maxEvents: events || settings.HUB_DURABLE_MAX_EVENTS,
    maxBytes: bytes || settings.HUB_DURABLE_MAX_BYTES,
  };
}

export function hubConfigFrom(config: ConfigService): HubConfig {
  const settings = config.getOrThrow<HubEnvironment>('hub');
  const env = <K extends keyof HubEnvironment>(key: K) => settings[key];
  const storeKind = env('HUB_STORE');
  const dataDir = env('HUB_DATA_DIR');
  // A hub that stores events needs the same id after a restart, to find its file again.
  const hubId =
    env('HUB_ID') || (storeKind === 'sqlite' ? keptOrRandomHubId(dataDir) : randomHubId());
  const shared = serverConfigOf(settings, 'HUB');
  return {
    ...shared,
    hubId,
    pingIntervalMs: env('HUB_PING_INTERVAL_MS'),
    frameLimits: {
      maxFrameBytes: env('HUB_MAX_FRAME_BYTES'),
      maxRoomBytes: env('HUB_MAX_ROOM_BYTES'),
    },
    linkMaxFrameBytes: env('HUB_LINK_MAX_FRAME_BYTES'),
    frameLimitsByPath: { [connectPath('hub')]: env('HUB_LINK_MAX_FRAME_BYTES') },
    sendHighWaterBytes: env('HUB_SEND_HIGH_WATER_BYTES'),
    linkSendHighWaterBytes: env('HUB_LINK_SEND_HIGH_WATER_BYTES'),
    slowConsumerMs: env('HUB_SLOW_CONSUMER_MS'),
    shutdownGraceMs: env('HUB_SHUTDOWN_GRACE_MS'),
    repeaterBacklog: {
      maxEvents: env('HUB_REPEATER_BACKLOG'),
      maxBytes: env('HUB_REPEATER_BACKLOG_BYTES'),
      expectedMs: env('HUB_REPEATER_EXPECTED_MS'),
    },
    durable: {
      maxEvents: env('HUB_DURABLE_MAX_EVENTS'),
      maxBytes: env('HUB_DURABLE_MAX_BYTES'),
      maxAgeMs: env('HUB_DURABLE_MAX_AGE_MS'),
      ackTimeoutMs: env('HUB_ACK_TIMEOUT_MS'),
      maxGroups: env('HUB_MAX_DURABLE_GROUPS'),
      groupTtlMs: env('HUB_DURABLE_GROUP_TTL_MS'),
      perRoom: perRoomBounds(settings),
    },
    store: {
      kind: storeKind,
      dataDir,
      file: join(dataDir, `${hubId}.sqlite`),
      sync: env('HUB_STORE_SYNC'),
      maxBytes: env('HUB_STORE_MAX_BYTES'),
      maxWalBytes: env('HUB_STORE_WAL_MAX_BYTES'),
    },
    registry: { source: env('HUB_REGISTRY'), refreshMs: env('HUB_REGISTRY_REFRESH_MS') },
    autoPong: false,
    linkBackoff: {
      initialMs: env('HUB_LINK_BACKOFF_INITIAL_MS'),
      maxMs: env('HUB_LINK_BACKOFF_MAX_MS'),
    },
    linkInterest: env('HUB_LINK_INTEREST'),
    peers: commaList(env('HUB_PEERS')),
    auth: { ...shared.auth, linkToken: env('HUB_LINK_TOKEN') },
    eventProfile: env('HUB_EVENT_PROFILE'),
    enrich: env('HUB_ENRICH'),
    interconnectAllow: commaList(env('HUB_INTERCONNECT_ALLOW')),
    mesh: { advertise: env('HUB_ADVERTISE').trim(), forgetMs: env('HUB_MESH_FORGET_MS') },
    cluster: clusterConfigOf(settings),
    limits: {
      maxRoomsPerPeer: env('HUB_MAX_ROOMS_PER_PEER'),
      maxGroupsPerPeer: env('HUB_MAX_GROUPS_PER_PEER'),
      publishRate: env('HUB_PUBLISH_RATE'),
      publishBurst: env('HUB_PUBLISH_BURST') || env('HUB_PUBLISH_RATE'),
      publishLimitPolicy: env('HUB_PUBLISH_LIMIT_POLICY'),
    },
    history: {
      rooms: commaList(env('HUB_HISTORY_ROOMS')),
      size: env('HUB_HISTORY_SIZE'),
      ttlMs: env('HUB_HISTORY_TTL_MS'),
      maxRecovery: env('HUB_HISTORY_MAX_RECOVERY'),
    },
    confirms: {
      windowMs: env('HUB_CONFIRM_WINDOW_MS'),
      maxPublishers: env('HUB_CONFIRM_MAX_PUBLISHERS'),
    },
  };
}
