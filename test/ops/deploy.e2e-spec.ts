import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load, loadAll } from 'js-yaml';
import { builtApp } from '../support/built-app';

// Docker cannot run here: the deploy files are checked for what can be checked without it.
const ROOT = join(__dirname, '..', '..');
const DEPLOY = join(ROOT, 'deploy');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Manifest = {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown> & {
    template?: { spec: { containers: Container[] } };
    ports?: { targetPort: string }[];
  };
};
type Service = { restart?: string; build?: { dockerfile: string } };
type Probe = { httpGet: { path: string; port: string } };
type Container = {
  ports: { name: string }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe?: Probe;
};

describe('deploy/', () => {
  describe('images', () => {
    it.each(['hub', 'repeater'])('%s: a supported Node LTS, files that exist', (app) => {
      const dockerfile = read(`deploy/${app}.Dockerfile`);
      const bases = [...dockerfile.matchAll(/^FROM node:(\d+)\S*/gm)].map((m) => Number(m[1]));
      expect(bases.length).toBe(2);
      for (const major of bases) expect([22, 24]).toContain(major);
      for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm))
        expect(existsSync(join(ROOT, source))).toBe(true);
      const prefix = app.toUpperCase();
      expect(dockerfile).toContain(`CMD ["node", "healthcheck.js", "${prefix}", `);
    });
  });

  describe('compose', () => {
    it('parses, and every service has a restart policy', () => {
      const compose = load(read('deploy/docker-compose.yml')) as {
        services: Record<string, Service & { '<<'?: Service }>;
      };
      expect(Object.keys(compose.services).sort()).toEqual(['hub-a', 'hub-b', 'repeater']);
      // js-yaml leaves YAML merge keys (`<<: *hub`) to the reader.
      for (const { '<<': shared, ...own } of Object.values(compose.services)) {
        const service = { ...shared, ...own };
        expect(service.restart).toBe('unless-stopped');
        expect(existsSync(join(ROOT, service.build!.dockerfile))).toBe(true);
      }
    });
  });

  describe('cluster compose', () => {
    it('runs three hubs on a three-server NATS cluster, each hub given every server', () => {
      const compose = load(read('deploy/docker-compose.cluster.yml')) as {
        services: Record<
          string,
          Service & { '<<'?: Service; command?: string; environment?: Record<string, unknown> }
        >;
      };
      const names = Object.keys(compose.services).sort();
      expect(names).toEqual(['hub-1', 'hub-2', 'hub-3', 'nats-1', 'nats-2', 'nats-3']);
      for (const [name, { '<<': shared, ...own }] of Object.entries(compose.services)) {
        const service = { ...shared, ...own };
        expect(service.restart).toBe('unless-stopped');
        if (name.startsWith('nats-')) {
          expect(service.command).toContain('--jetstream');
          // Routes to the two others.
          const others = ['nats-1', 'nats-2', 'nats-3'].filter((other) => other !== name);
          for (const other of others) expect(service.command).toContain(`nats://${other}:6222`);
          continue;
        }
        const { '<<': sharedEnvironment, ...ownEnvironment } = service.environment as Record<
          string,
          unknown
        >;
        const environment = { ...(sharedEnvironment as object), ...ownEnvironment } as Record<
          string,
          string
        >;
        expect(environment.HUB_ID).toBe(name);
        expect(environment.HUB_NATS_SERVERS.split(',')).toEqual([
          'nats://nats-1:4222',
          'nats://nats-2:4222',
          'nats://nats-3:4222',
        ]);
        expect(existsSync(join(ROOT, service.build!.dockerfile))).toBe(true);
      }
    });
  });

  describe('Kubernetes', () => {
    it.each([
      ['hub', 7100],
      ['repeater', 7101],
    ])('%s: a Deployment and a Service, live and ready probes split', (app, port) => {
      const manifests = loadAll(read(`deploy/k8s/${app}.yaml`)) as Manifest[];
      expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service']);
      const [deployment, service] = manifests;
      const [container] = deployment.spec.template!.spec.containers;
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.startupProbe?.httpGet.path).toBe('/health/live');
      expect(container.ports.map((p) => p.name)).toContain('http');
      expect(service.spec.ports).toEqual([
        { name: 'http', port, targetPort: 'http', protocol: 'TCP' },
      ]);
      expect(service.spec.selector).toEqual(
        (deployment.spec.selector as { matchLabels: unknown }).matchLabels,
      );
    });
  });

  describe('app-package.js', () => {
    let dir: string;
    beforeAll(() => builtApp('hub'), 120_000);
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ces-app-package-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps only the production dependencies the app loads, and the lockfile resolves them', () => {
      const manifest = JSON.parse(
        execFileSync(process.execPath, [join(DEPLOY, 'app-package.js'), 'hub'], {
          encoding: 'utf8',
        }),
      ) as { dependencies: Record<string, string> };
      const root = JSON.parse(read('package.json')) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      const names = Object.keys(manifest.dependencies);
      for (const name of names) expect(manifest.dependencies[name]).toBe(root.dependencies[name]);
      // The CLI's and the development tools' packages stay out; what Nest and ws load by
      // themselves is in.
      expect(names).not.toContain('commander');
      expect(names).not.toContain('concurrently');
      expect(root.devDependencies.concurrently).toBeDefined();
      for (const name of [
        '@nestjs/core',
        '@nestjs/platform-express',
        'pino-http',
        'ws',
        'bufferutil',
      ])
        expect(names).toContain(name);

      // What `npm prune` in the Dockerfile starts from: the app's package.json and the
      // repository's lockfile resolve to a tree without development packages.
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
      writeFileSync(join(dir, 'package-lock.json'), read('package-lock.json'));
      execFileSync(
        'npm',
        [
          'install',
          '--package-lock-only',
          '--omit=dev',
          '--offline',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
        ],
        { cwd: dir, stdio: 'ignore' },
      );
      const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      const production = Object.entries(lock.packages)
        .filter(([path, entry]) => path !== '' && !entry.dev)
        .map(([path]) => path);
      expect(production).toContain('node_modules/@nestjs/core');
      for (const dev of ['concurrently', 'jest', 'commander', 'typescript', '@nestjs/cli'])
        expect(production).not.toContain(`node_modules/${dev}`);
    }, 60_000);
  });

  describe('healthcheck.js', () => {
    let server: Server;
    let port: number;
    let answer = 200;
    const paths: string[] = [];

    beforeAll(async () => {
      server = createServer((request, response) => {
        paths.push(request.url!);
        response.statusCode = request.url === '/health/live' ? answer : 404;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const check = async (args: string[], env: Record<string, string>) => {
      try {
        await promisify(execFile)(process.execPath, [join(DEPLOY, 'healthcheck.js'), ...args], {
          env: { PATH: process.env.PATH, ...env },
        });
        return 0;
      } catch (error) {
        return (error as { code: number }).code;
      }
    };

    it('asks /health/live at the host and port the app listens on', async () => {
      answer = 200;
      expect(await check(['HUB', '7100'], { HUB_HOST: '127.0.0.1', HUB_PORT: `${port}` })).toBe(0);
      // All interfaces: asked on loopback.
      expect(await check(['HUB', '7100'], { HUB_HOST: '0.0.0.0', HUB_PORT: `${port}` })).toBe(0);
      expect(await check(['REPEATER', `${port}`], {})).toBe(0);
      expect(paths).toEqual(['/health/live', '/health/live', '/health/live']);
    });

    it('fails on an error status, and when nothing listens', async () => {
      answer = 503;
      expect(await check(['HUB', `${port}`], {})).toBe(1);
      answer = 200;
      expect(await check(['HUB', '7100'], { HUB_HOST: '127.0.0.2', HUB_PORT: '1' })).toBe(1);
    });
  });
});
