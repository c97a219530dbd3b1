import { SetMetadata } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { PeerKind } from '@ces/protocol';

const ROUTE_CLASS = 'ces:route-class';
const REQUIRED_KIND = 'ces:required-kind';

/**
 * Who may call a REST route when authentication is on:
 * - `public`: anyone, without a token (health probes cannot carry one; the dashboard's shell holds no data);
 * - `client`: any valid token (publishing events);
 * - `operator`: a token with the operator right (state, metrics, link management).
 * A route says nothing is an operator route: a new endpoint is closed until it opts in.
 */
export type RouteClass = 'public' | 'client' | 'operator';

/** An endpoint open without a token. */
export const Public = () => SetMetadata(ROUTE_CLASS, 'public' satisfies RouteClass);

/** An endpoint any valid token may call (a client publishing events). */
export const ClientRoute = () => SetMetadata(ROUTE_CLASS, 'client' satisfies RouteClass);

/**
 * An endpoint whose callers need a token that may connect as this kind (e.g. `hub` to
 * manage links): that right stands in for the operator right.
 */
export const RequiresKind = (kind: PeerKind) => SetMetadata(REQUIRED_KIND, kind);

export interface RouteAccess {
  routeClass: RouteClass;
  kind?: PeerKind;
}

/** The access rule of the route a request is for, from its handler's and controller's decorators. */
export function routeAccess(reflector: Reflector, context: ExecutionContext): RouteAccess {
  const targets = [context.getHandler(), context.getClass()];
  return {
    routeClass: reflector.getAllAndOverride<RouteClass>(ROUTE_CLASS, targets) ?? 'operator',
    kind: reflector.getAllAndOverride<PeerKind | undefined>(REQUIRED_KIND, targets),
  };
}
