import type { AppSettings } from '@ces/server-kit';
import { flag, oneOf, serverSettingsClass, text, wholeNumber } from '@ces/server-kit';

const MIB = 1024 * 1024;

/**
 * The hub's own settings, by their names after `HUB_`. The README's configuration table
 * describes each, with the same defaults.
 */
const HUB_OWN_SETTINGS = {
  // Below 90 s: the original Go messenger drops a hub it has not heard from for 90 s, and
  // pings are what it hears while no event flows.
  PING_INTERVAL_MS: wholeNumber(30_000, {
    min: 100,
    max: 89_999,
    message:
      'a whole number of milliseconds from 100 to 89999 (the original Go messenger drops a hub silent for 90 s)',
  }),
  MAX_ROOM_BYTES: wholeNumber(256, { min: 1, max: 4096 }),
  // A link carries many rooms, so it may have more queued than one peer.
  LINK_SEND_HIGH_WATER_BYTES: wholeNumber(16 * MIB, { min: 1024 }),
  // A link may bring events larger than a messenger may send (an original Go hub has no
  // limit): those over MAX_FRAME_BYTES are dropped, only those over this close the link.
  LINK_MAX_FRAME_BYTES: wholeNumber(16 * MIB, { min: 64, max: 256 * MIB }),
  SHUTDOWN_GRACE_MS: wholeNumber(5_000, { min: 0 }),

  // The repeaters' group: kept only once a repeater has connected, and until the last one
  // has been gone EXPECTED_MS, so a hub that never had a repeater keeps nothing for one.
  REPEATER_BACKLOG: wholeNumber(1000, { min: 0 }),
  REPEATER_BACKLOG_BYTES: wholeNumber(16 * MIB, { min: 0 }),
  REPEATER_EXPECTED_MS: wholeNumber(60_000, { min: 0 }),

  DURABLE_MAX_EVENTS: wholeNumber(10_000, { min: 0 }),
  DURABLE_MAX_BYTES: wholeNumber(64 * MIB, { min: 0 }),
  // One room's share of a group's backlog; 0: no bound of its own (the group's bounds).
  DURABLE_ROOM_MAX_EVENTS: wholeNumber(0, { min: 0 }),
  DURABLE_ROOM_MAX_BYTES: wholeNumber(0, { min: 0 }),
  MAX_DURABLE_GROUPS: wholeNumber(1000, { min: 0 }),
  DURABLE_GROUP_TTL_MS: wholeNumber(3_600_000, { min: 1000 }),
  DURABLE_MAX_AGE_MS: wholeNumber(3_600_000, { min: 1000 }),
  ACK_TIMEOUT_MS: wholeNumber(30_000, { min: 100 }),

  STORE: oneOf(['sqlite', 'memory'], 'sqlite'),
  DATA_DIR: text('./data'),
  // `normal` survives a crash of the process, `full` a power loss too.
  STORE_SYNC: oneOf(['normal', 'full'], 'normal'),
  // 0: no limit; beyond it writes fail as on a full disk.
  STORE_MAX_BYTES: wholeNumber(0, { min: 0 }),
  // The WAL's file beyond which the store checkpoints on the event loop (its checkpoint
  // thread fell behind); below 1 MiB it would do so under an ordinary flow of writes.
  STORE_WAL_MAX_BYTES: wholeNumber(32 * MIB, { min: MIB }),

  REGISTRY: text(),
  REGISTRY_REFRESH_MS: wholeNumber(30_000, { min: 100 }),

  PEERS: text(),
  INTERCONNECT_ALLOW: text(),
  LINK_TOKEN: text(),
  LINK_BACKOFF_INITIAL_MS: wholeNumber(500, { min: 10 }),
  LINK_BACKOFF_MAX_MS: wholeNumber(30_000, { min: 10 }),
  // Off: this hub neither tells its links which rooms it wants nor heeds what they tell it,
  // so every event crosses every link (the original's behaviour); for debugging.
  LINK_INTEREST: flag(true),
  // Where other hubs dial this one, told to the mesh; empty: from HOST and PORT when HOST
  // is a concrete address, else this hub does not advertise itself.
  ADVERTISE: text(),
  // A link learned from the mesh that stays down this long is removed.
  MESH_FORGET_MS: wholeNumber(300_000, { min: 100 }),

  // Cluster mode: comma-separated nats:// (or tls://) URLs of a NATS cluster; empty: off.
  NATS_SERVERS: text(),
  NATS_TOKEN: text(),
  NATS_USER: text(),
  NATS_PASSWORD: text(),
  // A PEM file of the CA that signed the NATS servers' certificates; empty: the system's.
  NATS_TLS_CA: text(),
  NATS_SUBJECT_PREFIX: text('ces'),
  // Events for the cluster kept while NATS is unreachable.
  NATS_BUFFER_EVENTS: wholeNumber(10_000, { min: 0 }),
  NATS_BUFFER_BYTES: wholeNumber(16 * MIB, { min: 0 }),
  // Copies the NATS cluster keeps of each JetStream stream (groups, history): 1, 3 or 5 servers.
  NATS_REPLICAS: wholeNumber(1, { min: 1, max: 5 }),
  // Bytes each JetStream stream (durable groups', history's) may hold; beyond it the oldest go.
  NATS_STREAM_MAX_BYTES: wholeNumber(1024 * MIB, { min: MIB }),

  MAX_ROOMS_PER_PEER: wholeNumber(1000, { min: 1 }),
  MAX_GROUPS_PER_PEER: wholeNumber(100, { min: 0 }),
  // 0 turns the limit off; the burst defaults to the rate.
  PUBLISH_RATE: wholeNumber(0, { min: 0 }),
  PUBLISH_BURST: wholeNumber(0, { min: 0 }),
  PUBLISH_LIMIT_POLICY: oneOf(['drop', 'close'], 'drop'),

  // Rooms (comma-separated globs) whose last events the store keeps for recovery; none by default.
  HISTORY_ROOMS: text(),
  HISTORY_SIZE: wholeNumber(1000, { min: 1 }),
  HISTORY_TTL_MS: wholeNumber(3_600_000, { min: 1000 }),
  HISTORY_MAX_RECOVERY: wholeNumber(10_000, { min: 1 }),
  // Publish confirms: how long a publisher is remembered after it was last heard of (its
  // resends within it are dropped as duplicates), and how many publishers at most.
  CONFIRM_WINDOW_MS: wholeNumber(600_000, { min: 1000 }),
  CONFIRM_MAX_PUBLISHERS: wholeNumber(100_000, { min: 1 }),
};

/** Every setting of the hub, read from the environment and validated at startup. */
export const HubEnvironment = serverSettingsClass('HubEnvironment', 'HUB', 7100, HUB_OWN_SETTINGS);
export type HubEnvironment = InstanceType<typeof HubEnvironment>;

/** Settings given in code (tests start hubs this way); they override the environment. */
export type HubSettings = AppSettings<HubEnvironment>;
