import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MessengerService } from './messenger.service';

/** Terminus health indicator: up while the messenger's hub connection is open. */
@Injectable()
export class MessengerHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly messenger: MessengerService,
  ) {}

  isHealthy(key = 'messenger'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    const state = this.messenger.state;
    return state === 'open' ? indicator.up({ state }) : indicator.down({ state });
  }
}
