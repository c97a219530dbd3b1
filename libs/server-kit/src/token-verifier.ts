import { createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { PeerKind } from '@ces/protocol';
import type { importSPKI, JWTPayload } from 'jose';
import { PeerGrants, roomMatcher } from './peer-grants';
import { CesClaims, ClaimError, readCesClaims } from './token-claims';

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

type JwtKey = KeyObject | Awaited<ReturnType<typeof importSPKI>>;

let jose: Promise<typeof import('jose')> | undefined;

/** The JWT library, loaded on first use: a server that takes no JWTs never loads it. */
function loadJose(): Promise<typeof import('jose')> {
  return (jose ??= import('jose'));
}

const CLIENT_KINDS: ReadonlySet<PeerKind> = new Set(['messenger', 'repeater']);
const HUB_ONLY: ReadonlySet<PeerKind> = new Set(['hub']);

/** The credentials a server accepts; any one of them turns authentication on. */
export interface TokenOptions {
  /** Shared secrets: messengers and repeaters, every room. */
  tokens: string[];
  /** The credential of hub links. */
  linkToken?: string;
  /** HS256 secret for JWTs. */
  jwtSecret?: string;
  /** PEM public key (`\\n` escapes allowed) for RS256/ES256 JWTs. */
  jwtPublicKey?: string;
  jwtAlgorithm?: 'RS256' | 'ES256';
  jwtAudience?: string;
  jwtIssuer?: string;
}

/**
 * Turns a bearer token into grants: a shared secret (messengers and repeaters, every room,
 * operator), the hub-link token (hub links only), or a JWT (HS256 with a secret, RS256/ES256
 * with a public key; `exp`/`nbf` honoured) whose `kinds`, `rooms` and `operator` claims say
 * what it may do. A claim of any other shape than the documented one refuses the token.
 */
export class TokenVerifier {
  private readonly sharedTokens: Buffer[];
  private readonly linkToken?: Buffer;
  private jwtKey?: Promise<JwtKey>;

  constructor(private readonly options: TokenOptions) {
    this.sharedTokens = options.tokens.map((token) => Buffer.from(token));
    this.linkToken = options.linkToken ? Buffer.from(options.linkToken) : undefined;
    if (options.jwtSecret)
      this.jwtKey = Promise.resolve(createSecretKey(Buffer.from(options.jwtSecret)));
    else if (options.jwtPublicKey) {
      const pem = options.jwtPublicKey.replace(/\\n/g, '\n');
      this.jwtKey = loadJose().then(({ importSPKI }) =>
        importSPKI(pem, options.jwtAlgorithm ?? 'RS256'),
      );
    }
  }

  /** True when clients (messengers, repeaters, REST callers) must present a token. */
  get clientsMustAuthenticate(): boolean {
    return this.sharedTokens.length > 0 || this.jwtKey !== undefined;
  }

  /** True when hub links must present a credential. */
  get linksMustAuthenticate(): boolean {
    return this.linkToken !== undefined || this.clientsMustAuthenticate;
  }

  async verify(token: string | undefined): Promise<PeerGrants> {
    if (!token) throw new AuthError(401, 'a bearer token is required');
    const candidate = Buffer.from(token);
    if (this.linkToken && safeEqual(candidate, this.linkToken))
      return { kinds: HUB_ONLY, operator: true, subject: 'hub-link' };
    if (this.sharedTokens.some((shared) => safeEqual(candidate, shared)))
      return { kinds: CLIENT_KINDS, operator: true };
    if (this.jwtKey && token.split('.').length === 3) return this.verifyJwt(token);
    throw new AuthError(401, 'the token is not valid');
  }

  private async verifyJwt(token: string): Promise<PeerGrants> {
    let payload: JWTPayload;
    try {
      const { jwtVerify } = await loadJose();
      ({ payload } = await jwtVerify(token, await this.jwtKey!, {
        algorithms: [this.options.jwtSecret ? 'HS256' : (this.options.jwtAlgorithm ?? 'RS256')],
        audience: this.options.jwtAudience || undefined,
        issuer: this.options.jwtIssuer || undefined,
      }));
    } catch (error) {
      throw new AuthError(401, `the token is not valid: ${(error as Error).message}`);
    }
    let claims: CesClaims;
    try {
      claims = readCesClaims(payload);
    } catch (error) {
      if (!(error instanceof ClaimError)) throw error;
      throw new AuthError(401, `the token’s claims are not valid: ${error.message}`);
    }
    return {
      kinds: new Set(claims.kinds),
      maySubscribe: roomMatcher(claims.rooms.subscribe),
      mayPublish: roomMatcher(claims.rooms.publish),
      operator: claims.operator,
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
      subject: claims.subject,
    };
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
