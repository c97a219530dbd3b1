import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startHub, TestHub } from '../support/hub-harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const installed = (name: string): string =>
  (require(join(ROOT, 'node_modules', name, 'package.json')) as { version: string }).version;

/** A plain Node program: one client publishes, another receives, both through a real hub. */
const PLAIN_PROGRAM = `
import { MessengerClient, RoomEvent } from '@ces/messenger';

interface Reading { n: number }

async function main(hub: string): Promise<void> {
  const receiver = new MessengerClient<Reading>({ hubUrl: hub, name: 'plain-receiver', rooms: ['R'] });
  const sender = new MessengerClient({ hubUrl: hub, name: 'plain-sender' });
  const got = new Promise<RoomEvent<Reading>>((resolve) =>
    receiver.on('event', (room, event) => resolve({ room, event })),
  );
  await Promise.all([receiver.connect(), sender.connect()]);
  // The subscription is on its way: resend until the receiver has the event.
  const timer = setInterval(() => sender.send('R', { n: 42 }), 50);
  const { room, event } = await got;
  clearInterval(timer);
  console.log(\`\${room} \${event.n.toFixed(0)}\`);
  await Promise.all([receiver.close(), sender.close()]);
}

void main(process.argv[2]);
`;

/** A Nest app with every piece of the Nest entry points, typed as users write them. */
const NEST_PROGRAM = `
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { MessengerModule, MessengerService, OnAnyRoomEvent, OnRoomEvent } from '@ces/messenger/nest';
import { MessengerHealthIndicator } from '@ces/messenger/nest/health';

@Injectable()
class RoomLogger {
  constructor(private readonly messenger: MessengerService) {}

  @OnRoomEvent('R')
  log(room: string, event: { n: number }): void {
    this.messenger.send('audit', { room, n: event.n });
  }

  @OnAnyRoomEvent()
  any(room: string): void {
    void room;
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ CES_HUB_URL: 'localhost' })] }),
    MessengerModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ hubUrl: config.getOrThrow('CES_HUB_URL'), name: 'nest-app' }),
    }),
    TerminusModule,
  ],
  providers: [RoomLogger, MessengerHealthIndicator],
})
class AppModule {}

void NestFactory.createApplicationContext(AppModule);
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    skipLibCheck: false,
    module: 'commonjs',
    target: 'ES2022',
    outDir: 'out',
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  },
  files: ['main.ts'],
};

async function project(dir: string, source: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  await writeFile(join(dir, 'main.ts'), source);
}

async function npmInstall(dir: string, specs: string[]): Promise<void> {
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], {
    cwd: dir,
    timeout: 120_000,
  });
}

/** Compiles with the repo's tsc; a failure shows the compiler's own messages. */
async function compile(dir: string): Promise<void> {
  try {
    await run(TSC, ['-p', dir], { cwd: dir, timeout: 120_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed in ${dir}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('the packed packages, installed as a user would', () => {
  let work: string;
  let hub: TestHub | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ces-packages-'));
  });

  afterAll(async () => {
    await hub?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('install into an empty Node project and an empty Nest project, compile with skipLibCheck: false, and run', async () => {
    // The project's public URL is given at release time (CES_REPOSITORY or the root manifest).
    const repository = 'https://git.example.org/ces/central-event-system.git';
    await run('bash', [join(ROOT, 'scripts/build-packages.sh')], {
      cwd: ROOT,
      timeout: 180_000,
      env: { ...process.env, CES_REPOSITORY: repository },
    });
    const packages = join(ROOT, 'dist/packages');
    // The libraries' tarballs (the CLI's, also packed there, is tested on its own).
    const tarballs = (await readdir(packages))
      .filter((file) => /^ces-(messenger|protocol)-/.test(file))
      .map((file) => join(packages, file))
      .sort();
    expect(tarballs.map((file) => file.split('/').pop())).toEqual([
      'ces-messenger-0.1.0.tgz',
      'ces-protocol-0.1.0.tgz',
    ]);

    const plain = join(work, 'plain');
    const nest = join(work, 'nest');
    await Promise.all([project(plain, PLAIN_PROGRAM), project(nest, NEST_PROGRAM)]);
    const nestPackages = ['common', 'core', 'config', 'terminus'].map(
      (name) => `@nestjs/${name}@${installed(`@nestjs/${name}`)}`,
    );
    await Promise.all([
      npmInstall(plain, tarballs),
      npmInstall(nest, [
        ...tarballs,
        ...nestPackages,
        `reflect-metadata@${installed('reflect-metadata')}`,
      ]),
    ]);

    // The plain project got no Nest: the Nest peers are optional.
    expect(existsSync(join(plain, 'node_modules/@nestjs'))).toBe(false);
    const manifest = JSON.parse(
      await readFile(join(plain, 'node_modules/@ces/messenger/package.json'), 'utf8'),
    );
    expect(manifest).toMatchObject({
      license: 'MIT',
      engines: { node: '>=20' },
      repository: { type: 'git', url: repository, directory: 'libs/messenger' },
    });
    expect(Object.keys(manifest.exports)).toEqual(
      expect.arrayContaining(['.', './nest', './nest/health', './browser']),
    );
    for (const name of ['messenger', 'protocol']) {
      expect(existsSync(join(plain, `node_modules/@ces/${name}/README.md`))).toBe(true);
    }

    await Promise.all([compile(plain), compile(nest)]);

    hub = await startHub();
    const { stdout } = await run('node', [join(plain, 'out/main.js'), `127.0.0.1:${hub.port}`], {
      cwd: plain,
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('R 42');
  }, 240_000);
});
