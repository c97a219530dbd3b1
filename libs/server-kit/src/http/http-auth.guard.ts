import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { OPEN_GRANTS, PeerGrants } from '../peer-grants';
import { requestToken } from '../request-token';
import { AuthError } from '../token-verifier';
import { HTTP_ACCESS, HttpAccess } from './http-access';
import { RouteAccess, routeAccess } from './route-access';

export type AuthenticatedRequest = Request & { grants?: PeerGrants };

/** Grants as the verifier states them; `operator` is set for operator credentials. */
type VerifiedGrants = PeerGrants & { operator?: boolean };

/**
 * Token authentication of the REST endpoints of both apps, when it is turned on: public
 * routes are open, client routes need a valid token, operator routes an operator token
 * (or the peer kind they name). Without a valid token: 401; valid but not enough: 403.
 */
@Injectable()
export class HttpAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(HTTP_ACCESS) private readonly access: HttpAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = routeAccess(this.reflector, context);
    if (route.routeClass === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    if (!this.mustAuthenticate(route)) {
      request.grants = OPEN_GRANTS;
      return true;
    }
    request.grants = await this.authenticate(request, http.getResponse<Response>());
    const refusal = refusalFor(route, request.grants);
    if (refusal) {
      this.access.refusals.refuse('http-forbidden');
      throw new ForbiddenException(refusal);
    }
    return true;
  }

  private mustAuthenticate(route: RouteAccess): boolean {
    const { verifier } = this.access;
    return route.kind === 'hub' ? verifier.linksMustAuthenticate : verifier.clientsMustAuthenticate;
  }

  private async authenticate(request: Request, response: Response): Promise<PeerGrants> {
    try {
      return await this.access.verifier.verify(requestToken(request));
    } catch (error) {
      const status = error instanceof AuthError ? error.status : 401;
      const message = (error as Error).message;
      this.access.refusals.refuse(status === 403 ? 'http-forbidden' : 'http-unauthenticated');
      if (status === 403) throw new ForbiddenException(message);
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(message);
    }
  }
}

/** Why verified grants are not enough for the route, or undefined when they are. */
export function refusalFor(route: RouteAccess, grants: VerifiedGrants): string | undefined {
  if (route.kind) {
    return grants.kinds.has(route.kind)
      ? undefined
      : `this endpoint needs a token that may connect as ${route.kind}`;
  }
  if (route.routeClass === 'operator' && grants.operator !== true)
    return 'this endpoint needs an operator token';
  return undefined;
}
