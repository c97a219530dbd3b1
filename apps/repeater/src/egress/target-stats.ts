/** What /status shows for one outside target. */
export interface TargetStats {
  address: string;
  kind: 'ws' | 'http';
  state: string;
  queued: number;
  queuedBytes: number;
  sent: number;
  failed: number;
  dropped: number;
  /** ws targets: times the socket was closed for not reading. */
  slowConsumer?: number;
  /** The target's last failure, and when it happened (ISO 8601). */
  lastError?: string;
  lastErrorAt?: string;
}

/** A target's last failure and when it happened, as its stats show them. */
export class LastError {
  private text?: string;
  private at?: Date;

  get message(): string | undefined {
    return this.text;
  }

  set(message: string): void {
    this.text = message;
    this.at = new Date();
  }

  stats(): Pick<TargetStats, 'lastError' | 'lastErrorAt'> {
    return { lastError: this.text, lastErrorAt: this.at?.toISOString() };
  }
}

/** An outside system that receives the events of some rooms. */
export interface Target {
  readonly address: string;
  deliver(room: string, event: Buffer): void;
  stats(): TargetStats;
  close(): void;
}
