import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { HubCounters } from '../status/hub-counters';
import { IS_PUBLIC, REQUIRED_KIND } from './public.decorator';
import { OPEN_GRANTS, PeerGrants } from '@ces/server-kit';
import { requestToken } from '@ces/server-kit';
import { AuthError, TokenVerifier } from './token-verifier.service';

export type AuthenticatedRequest = Request & { grants?: PeerGrants };

/** Token authentication on the hub's REST endpoints, when it is turned on. */
@Injectable()
export class HttpAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    private readonly counters: HubCounters,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const kind = this.reflector.getAllAndOverride<'hub' | undefined>(REQUIRED_KIND, targets);
    const required =
      kind === 'hub' ? this.tokens.linksMustAuthenticate : this.tokens.clientsMustAuthenticate;
    if (!required) {
      request.grants = OPEN_GRANTS;
      return true;
    }
    try {
      request.grants = await this.tokens.verify(requestToken(request));
    } catch (error) {
      this.counters.reject('http-unauthenticated');
      const status = error instanceof AuthError ? error.status : 401;
      throw status === 403
        ? new ForbiddenException((error as Error).message)
        : new UnauthorizedException((error as Error).message);
    }
    if (kind && !request.grants.kinds.has(kind)) {
      this.counters.reject('http-forbidden');
      throw new ForbiddenException(`this token may not manage ${kind} links`);
    }
    return true;
  }
}
