import {
  CanActivate,
  ExecutionContext,
  HttpException,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { RepeaterAuth } from './repeater-auth';

const IS_PUBLIC = 'ces:repeater-public';

/** An endpoint open without a token: health probes and the dashboard's static page. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Token authentication on the repeater's REST endpoints, when it is turned on. */
@Injectable()
export class HttpAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: RepeaterAuth,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    const refusal = await this.auth.refusal(context.switchToHttp().getRequest<Request>());
    if (refusal) throw new HttpException(refusal.message, refusal.status);
    return true;
  }
}
