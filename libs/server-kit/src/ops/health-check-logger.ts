import { Injectable, Logger, LoggerService } from '@nestjs/common';
import { RateLimitedLogger } from '../rate-limited-logger';

/**
 * What the health checks log. A failing check is what an app says while a service it needs
 * is away (the repeater's hub, a full disk), and probes ask every few seconds: one warning a
 * minute says so, instead of an error line per probe. The state itself is in /health/ready and
 * in /metrics.
 */
@Injectable()
export class HealthCheckLogger implements LoggerService {
  private readonly limited = new RateLimitedLogger(new Logger('Health'), 60_000);

  error(message: unknown): void {
    this.limited.warn('failed', String(message));
  }

  warn(message: unknown): void {
    this.limited.warn('warning', String(message));
  }

  log(): void {}
}
