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
  lastError?: string;
}

/** An outside system that receives the events of some rooms. */
export interface Target {
  readonly address: string;
  deliver(room: string, event: Buffer): void;
  stats(): TargetStats;
  close(): void;
}
