import type { InjectionToken, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HTTP_ACCESS, HttpAccess } from './http-access';
import { HttpAuthGuard } from './http-auth.guard';

/**
 * Who may call an app's REST API: the token guard on every route (see `Public`,
 * `ClientRoute`, `RequiresKind`), with the app's token verifier and the counters its
 * refusals go to. `serveApp` adds the JSON-only body check with the same `HttpAccess`.
 */
export function httpAccessProviders(
  verifier: InjectionToken<HttpAccess['verifier']>,
  refusals: InjectionToken<HttpAccess['refusals']>,
): Provider[] {
  return [
    {
      provide: HTTP_ACCESS,
      inject: [verifier, refusals],
      useFactory: (
        tokens: HttpAccess['verifier'],
        counters: HttpAccess['refusals'],
      ): HttpAccess => ({ verifier: tokens, refusals: counters }),
    },
    { provide: APP_GUARD, useClass: HttpAuthGuard },
  ];
}
