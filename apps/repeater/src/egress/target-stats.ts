/** What /status shows for one outside target. */
export interface TargetStats {
  address: string;
  kind: 'ws' | 'http';
  state: string;
  queued: number;
  sent: number;
  failed: number;
  dropped: number;
  lastError?: string;
}

/** An outside system that receives the events of some rooms. */
export interface Target {
  readonly address: string;
  deliver(room: string, event: Buffer): void;
  stats(): TargetStats;
  close(): void;
}
