import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AuditEntry, AuditTrail } from '@ces/server-kit';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';

/** The hub's audit trail (off unless HUB_AUDIT is set). */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly trail: AuditTrail;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    this.trail = new AuditTrail(config.audit);
  }

  get enabled(): boolean {
    return this.trail.enabled;
  }

  record(entry: AuditEntry): void {
    this.trail.record(entry);
  }

  stats(): { enabled: boolean; written: number; dropped: number; queued: number } {
    return { enabled: this.trail.enabled, ...this.trail.stats, queued: this.trail.queued };
  }

  onApplicationShutdown(): Promise<void> {
    return this.trail.close();
  }
}
