import { setTimeout as pause } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, QueuedIterator } from '@nats-io/nats-core';
import type { KV, KvWatchEntry } from '@nats-io/kv';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerConnection } from '../connections/peer-connection';
import { SubscriptionRegistry } from '../routing/subscription-registry';
import {
  DirectoryTarget,
  directoryKey,
  GroupDirectory,
  hubOfKey,
  parseDirectoryEntry,
} from './group-directory';
import { natsClient } from './nats-client';

/**
 * How long an entry lives in the bucket (its max age) and in every hub's table without being
 * written again: a hub that dies leaves its entries this long at most.
 */
export const DIRECTORY_TTL_MS = 30_000;
/** Every hub writes all its entries again this often, well within their lifetime. */
const REFRESH_MS = DIRECTORY_TTL_MS / 3;
const RETRY_PAUSE_MS = 250;
/**
 * A watch that heard nothing this long, while other hubs (which write every REFRESH_MS) have
 * entries, is taken for stuck and started again (it gives every key's value again) before
 * anything expires.
 */
const SILENT_WATCH_MS = 2.5 * REFRESH_MS;

/**
 * Cluster mode's directory of durable groups: a JetStream KV bucket (`<PREFIX>_GROUP_DIR`,
 * `HUB_NATS_REPLICAS` copies) where each hub writes, per durable group it holds (members
 * here, or kept after the last one left until the group expires), the rooms it holds, under
 * a key of the group and the hub. Every hub watches the bucket and keeps the table room →
 * durable groups, which the hub an event enters asks to put the event in the stream once
 * per group that wants it. Its own entries go to the table at once, not after the round trip.
 */
@Injectable()
export class GroupDirectoryService implements OnApplicationShutdown {
  private readonly log = new Logger('GroupDirectory');
  readonly table = new GroupDirectory();
  readonly bucket: string;
  /** This hub's entries as last written: key → value. */
  private readonly own = new Map<string, string>();
  private kv?: KV;
  private watcher?: QueuedIterator<KvWatchEntry>;
  private refresher?: NodeJS.Timeout;
  /** This hub's keys in the table. */
  private readonly ownInTable = new Set<string>();
  private localPending = false;
  private dirty = false;
  /** Write every entry again, changed or not (the refresh). */
  private rewrite = false;
  private writing = false;
  private closing = false;
  /** When the watch last gave an entry (this hub's own included). */
  private heardAt = 0;

  writes = 0;
  watchRestarts = 0;
  writeErrors = 0;
  expired = 0;
  unreadable = 0;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly registry: SubscriptionRegistry<PeerConnection>,
  ) {
    const prefix = config.cluster?.subjectPrefix ?? 'ces';
    this.bucket = `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_GROUP_DIR`;
    if (!config.cluster) return;
    registry.watchGroups(() => this.localChanged());
  }

  /** The durable groups that want an event of `room`, cluster-wide (one map lookup). */
  targetsOf(room: string): readonly DirectoryTarget[] | undefined {
    return this.table.targetsOf(room);
  }

  /** Cluster mode hands over its groups' connection once it is open. */
  attach(nc: NatsConnection): void {
    this.localChanged();
    void this.open(nc);
    this.refresher = setInterval(() => this.refresh(), REFRESH_MS);
    this.refresher.unref();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /**
   * Stops following the bucket; the backbone calls it before it closes the connection, as a
   * watch still open then would go on resetting itself on the closed connection.
   */
  stop(): void {
    this.closing = true;
    clearInterval(this.refresher);
    this.watcher?.stop();
  }

  /** What /status shows. */
  view() {
    if (!this.config.cluster) return undefined;
    return {
      bucket: this.bucket,
      connected: this.kv !== undefined,
      entries: this.table.size,
      writes: this.writes,
      writeErrors: this.writeErrors,
      expired: this.expired,
      watchRestarts: this.watchRestarts,
      unreadable: this.unreadable,
      groups: this.table.view(),
    };
  }

  private async open(nc: NatsConnection): Promise<void> {
    for (let attempt = 0; !this.closing; attempt++) {
      try {
        this.kv = await new (natsClient().kv.Kvm)(nc).create(this.bucket, {
          replicas: this.config.cluster!.stream.replicas,
          history: 1,
          ttl: DIRECTORY_TTL_MS,
        });
        break;
      } catch (error) {
        if (attempt === 0)
          this.log.warn(`cannot open bucket ${this.bucket} yet (${(error as Error).message})`);
        await pause(RETRY_PAUSE_MS);
      }
    }
    if (this.closing || !this.kv) return;
    this.dirty = true;
    void this.write();
    void this.watch(this.kv);
  }

  /** Follows the other hubs' entries; watches again whenever the watch ends. */
  private async watch(kv: KV): Promise<void> {
    const self = this.config.hubId;
    while (!this.closing) {
      try {
        const watcher = await kv.watch({ key: '>' });
        // The hub began to stop while the watch was being made: nothing else would stop it.
        if (this.closing) {
          watcher.stop();
          break;
        }
        this.watcher = watcher;
        this.heardAt = Date.now();
        for await (const entry of this.watcher) {
          this.heardAt = Date.now();
          if (hubOfKey(entry.key) === self) continue;
          if (entry.operation !== 'PUT') {
            this.table.delete(entry.key);
            continue;
          }
          const value = parseDirectoryEntry(entry.value);
          if (value) this.table.set(entry.key, value, Date.now());
          else this.unreadable++;
        }
      } catch (error) {
        if (!this.closing) this.log.debug(`watching ${this.bucket}: ${(error as Error).message}`);
      }
      if (!this.closing) await pause(RETRY_PAUSE_MS);
    }
  }

  /** Writes everything again (so the entries outlive their max age) and forgets dead hubs'. */
  private refresh(): void {
    this.dirty = true;
    this.rewrite = true;
    this.applyLocal();
    void this.write();
    const now = Date.now();
    if (this.watcher && now - this.heardAt > SILENT_WATCH_MS && this.hasOthersEntries()) {
      this.watchRestarts++;
      this.heardAt = now;
      this.watcher.stop();
      return;
    }
    this.expired += this.table.expire(now - DIRECTORY_TTL_MS).length;
  }

  private hasOthersEntries(): boolean {
    return this.table.size > this.ownInTable.size;
  }

  /** The registry's groups changed: the table at once, the bucket at the end of the turn. */
  private localChanged(): void {
    if (this.localPending) return;
    this.localPending = true;
    queueMicrotask(() => {
      this.localPending = false;
      this.applyLocal();
      this.dirty = true;
      void this.write();
    });
  }

  /** This hub's durable groups and the rooms it holds for them, by key. */
  private localEntries(): Map<string, string> {
    const entries = new Map<string, string>();
    const hub = this.config.hubId;
    for (const [group, { rooms, durable }] of this.registry.localGroups())
      if (durable && this.registry.group(group)?.durable)
        entries.set(directoryKey(group, hub), JSON.stringify({ group, hub, rooms }));
    return entries;
  }

  private applyLocal(): void {
    const now = Date.now();
    const wanted = this.localEntries();
    for (const [key, value] of wanted) {
      this.table.set(key, parseDirectoryEntry(Buffer.from(value))!, now);
      this.ownInTable.add(key);
    }
    for (const key of this.ownInTable)
      if (!wanted.has(key)) {
        this.table.delete(key);
        this.ownInTable.delete(key);
      }
  }

  /** Puts what changed, deletes what this hub no longer holds; one write pass at a time. */
  private async write(): Promise<void> {
    if (!this.kv || this.writing) return;
    this.writing = true;
    try {
      while (this.dirty && !this.closing) {
        this.dirty = false;
        const rewrite = this.rewrite;
        this.rewrite = false;
        const wanted = this.localEntries();
        for (const [key, value] of wanted) {
          if (!rewrite && this.own.get(key) === value) continue;
          await this.kv.put(key, value);
          this.own.set(key, value);
          this.writes++;
        }
        for (const key of [...this.own.keys()]) {
          if (wanted.has(key)) continue;
          await this.kv.delete(key);
          this.own.delete(key);
          this.writes++;
        }
      }
    } catch (error) {
      // Written again at the next change or refresh.
      this.writeErrors++;
      this.dirty = true;
      this.rewrite = true;
      this.log.debug(`writing ${this.bucket}: ${(error as Error).message}`);
    } finally {
      this.writing = false;
    }
  }
}
