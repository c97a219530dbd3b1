import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { refuse } from '@ces/server-kit';
import { RepeaterCounters } from '../status/repeater-counters';

/** A path the websocket routing matches no gateway with, so it answers nothing more. */
const CONSUMED_PATH = '/.refused';

/** True when every `%` of the path starts a sequence decodeURIComponent can decode. */
export function isDecodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers an upgrade request whose path has bad percent-encoding (`/connect/%ZZ/x`) with 400,
 * before the websocket routing tries to decode its segments (which would answer 500). It runs
 * first on the HTTP server's `upgrade` event and leaves the request at a path no gateway has.
 */
@Injectable()
export class UndecodablePathGuard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly counters: RepeaterCounters,
  ) {}

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    server?.prependListener('upgrade', (request: IncomingMessage, socket: Duplex) => {
      const path = (request.url ?? '/').split('?', 1)[0];
      if (isDecodablePath(path)) return;
      this.counters.refuse('upgrade-bad-path');
      refuse(socket, { status: 400, message: 'the path is not valid percent-encoding' });
      request.url = CONSUMED_PATH;
    });
  }
}
