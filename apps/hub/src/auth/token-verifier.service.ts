import { createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { parsePeerKind, PeerKind } from '@ces/protocol';
import { importSPKI, JWTPayload, jwtVerify } from 'jose';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { PeerGrants, roomMatcher } from './peer-grants';

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

type JwtKey = KeyObject | Awaited<ReturnType<typeof importSPKI>>;

const CLIENT_KINDS: ReadonlySet<PeerKind> = new Set(['messenger', 'repeater']);
const HUB_ONLY: ReadonlySet<PeerKind> = new Set(['hub']);

interface RoomClaims {
  subscribe?: string[];
  publish?: string[];
}

/**
 * Turns a bearer token into grants: a shared secret (messengers and repeaters, every room),
 * the hub-link token (hub links only), or a JWT (HS256 with a secret, RS256/ES256 with a
 * public key; `exp`/`nbf` honoured) whose `kinds` and `rooms` claims say what it may do.
 */
@Injectable()
export class TokenVerifier {
  private readonly sharedTokens: Buffer[];
  private readonly linkToken?: Buffer;
  private jwtKey?: Promise<JwtKey>;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    this.sharedTokens = config.auth.tokens.map((token) => Buffer.from(token));
    this.linkToken = config.auth.linkToken ? Buffer.from(config.auth.linkToken) : undefined;
    if (config.auth.jwtSecret)
      this.jwtKey = Promise.resolve(createSecretKey(Buffer.from(config.auth.jwtSecret)));
    else if (config.auth.jwtPublicKey) {
      this.jwtKey = importSPKI(
        config.auth.jwtPublicKey.replace(/\\n/g, '\n'),
        config.auth.jwtAlgorithm,
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
      return { kinds: HUB_ONLY, subject: 'hub-link' };
    if (this.sharedTokens.some((shared) => safeEqual(candidate, shared)))
      return { kinds: CLIENT_KINDS };
    if (this.jwtKey && token.split('.').length === 3) return this.verifyJwt(token);
    throw new AuthError(401, 'the token is not valid');
  }

  private async verifyJwt(token: string): Promise<PeerGrants> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.jwtKey!, {
        algorithms: [this.config.auth.jwtSecret ? 'HS256' : this.config.auth.jwtAlgorithm],
        audience: this.config.auth.jwtAudience || undefined,
        issuer: this.config.auth.jwtIssuer || undefined,
      }));
    } catch (error) {
      throw new AuthError(401, `the token is not valid: ${(error as Error).message}`);
    }
    const kinds = Array.isArray(payload.kinds) ? payload.kinds : ['messenger'];
    const rooms = (
      typeof payload.rooms === 'object' && payload.rooms !== null ? payload.rooms : {}
    ) as RoomClaims;
    return {
      kinds: new Set(
        kinds.map((kind) => parsePeerKind(String(kind))).filter((kind): kind is PeerKind => !!kind),
      ),
      maySubscribe: roomMatcher(rooms.subscribe),
      mayPublish: roomMatcher(rooms.publish),
      subject: payload.sub,
    };
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
