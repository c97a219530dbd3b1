/** When the app started, and for how long it has run: the head of every /status document. */
export class Uptime {
  private readonly startedAt = Date.now();

  fields(now = Date.now()): { startedAt: string; uptimeSeconds: number } {
    return {
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeSeconds: Math.round((now - this.startedAt) / 1000),
    };
  }
}
