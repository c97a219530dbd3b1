import type { MessageEvent } from '@nestjs/common';
import {
  concat,
  defer,
  EMPTY,
  interval,
  Observable,
  of,
  ReplaySubject,
  share,
  switchMap,
  takeUntil,
} from 'rxjs';

// App-agnostic: the repeater's dashboard uses this file too.

/**
 * A document (an app's /status) pushed to dashboards once a second over server-sent
 * events. However many dashboards are open, it is built once per tick; each new one gets
 * it at once. `stop()` ends every stream, so the HTTP server can close on shutdown.
 */
export class LiveDocument {
  private readonly stopped = new ReplaySubject<void>(1);
  private readonly ticks: Observable<MessageEvent>;

  constructor(
    private readonly build: () => object,
    everyMs = 1000,
  ) {
    this.ticks = interval(everyMs).pipe(
      switchMap(() => this.message()),
      share(),
    );
  }

  events(): Observable<MessageEvent> {
    return concat(
      defer(() => this.message()),
      this.ticks,
    ).pipe(takeUntil(this.stopped));
  }

  stop(): void {
    this.stopped.next();
    this.stopped.complete();
  }

  /** The id is the time it was built, so a page computes rates over the real interval. */
  private message(): Observable<MessageEvent> {
    try {
      return of({ id: String(Date.now()), data: this.build() });
    } catch {
      return EMPTY; // a tick that failed is skipped; the next one tries again
    }
  }
}
