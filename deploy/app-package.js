#!/usr/bin/env node
// Prints the package.json of one app's image: the repository's, with only the production
// dependencies that app's build loads. The Dockerfiles put it in place of the repository's
// and run `npm prune --omit=dev`, which removes everything else (the lockfile keeps versions).
//
//   node deploy/app-package.js hub > package.json
//
// Webpack leaves node_modules outside the bundle, so every package the app needs appears in
// dist/apps/<app>/main.js as require("name"). Packages those load by themselves when present
// (their peer dependencies: @nestjs/core loads @nestjs/platform-express, ws loads bufferutil,
// nestjs-pino needs pino-http) are added when the repository depends on them.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** `@scope/name/deep/path` → `@scope/name`; `name/path` → `name`. */
function packageOf(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function peersOf(name) {
  try {
    const manifest = JSON.parse(
      readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
    );
    return Object.keys({ ...manifest.peerDependencies, ...manifest.optionalDependencies });
  } catch {
    return [];
  }
}

/** The app's production dependencies, as the repository's package.json pins them. */
function appDependencies(
  app,
  manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
) {
  const bundle = readFileSync(join(root, 'dist', 'apps', app, 'main.js'), 'utf8');
  const available = manifest.dependencies ?? {};
  const needed = new Set();
  const add = (name) => {
    if (needed.has(name) || !(name in available)) return;
    needed.add(name);
    peersOf(name).forEach(add);
  };
  for (const [, request] of bundle.matchAll(/require\("([^"]+)"\)/g))
    if (!request.startsWith('node:') && !request.startsWith('.')) add(packageOf(request));
  return Object.fromEntries([...needed].sort().map((name) => [name, available[name]]));
}

function appPackage(app) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return {
    name: `${manifest.name}-${app}`,
    version: manifest.version,
    private: true,
    license: manifest.license,
    engines: manifest.engines,
    dependencies: appDependencies(app, manifest),
  };
}

module.exports = { appDependencies, appPackage };

if (require.main === module) {
  const app = process.argv[2];
  if (app !== 'hub' && app !== 'repeater') {
    process.stderr.write('usage: node deploy/app-package.js hub|repeater\n');
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify(appPackage(app), null, 2)}\n`);
}
