/**
 * The framework's floor: the same relay (relay-routing.ts) on the HTTP server of the smallest
 * Nest app there is — Nest's core on Express, one health route, nothing else of the hub. What
 * it costs above the bare relay (memory above all) is what any Nest server pays before it does
 * anything of its own.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { attachRelay } from './relay-routing';

@Controller()
class HealthController {
  @Get('health')
  health(): string {
    return 'ok';
  }
}

@Module({ controllers: [HealthController] })
class NestRelayModule {}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 7300);
  const app = await NestFactory.create(NestRelayModule, { logger: ['error'] });
  attachRelay(app.getHttpServer() as Server);
  await app.listen(port, '127.0.0.1');
}

process.on('SIGTERM', () => process.exit(0));
void main();
