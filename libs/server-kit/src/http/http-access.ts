import type { TokenVerifier } from '../token-verifier';

/** Injection token of the app's {@link HttpAccess}. */
export const HTTP_ACCESS = Symbol('ces:http-access');

/** What the shared REST guard and body check need from an app. */
export interface HttpAccess {
  verifier: Pick<TokenVerifier, 'verify' | 'clientsMustAuthenticate' | 'linksMustAuthenticate'>;
  /** Counts refused requests by reason (`http-unauthenticated`, `http-forbidden`…). */
  refusals: { refuse(reason: string): void };
}
