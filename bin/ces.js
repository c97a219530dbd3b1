#!/usr/bin/env node
// The `ces` command (`npx ces …`). It runs the compiled CLI, dist/apps/cli/main.js, which
// `npm run build` produces. In a fresh clone (dependencies installed, nothing built yet) it
// builds the CLI once by itself with `nest build cli`; where that is not possible it says so.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const main = join(root, 'dist', 'apps', 'cli', 'main.js');

function nestCli() {
  try {
    return require.resolve('@nestjs/cli/bin/nest.js', { paths: [root] });
  } catch {
    return undefined;
  }
}

if (!existsSync(main)) {
  const nest = existsSync(join(root, 'apps', 'cli', 'src')) ? nestCli() : undefined;
  if (nest) {
    process.stderr.write('ces: first run: building the CLI (nest build cli)…\n');
    // The build's output goes to stderr: stdout is for data.
    spawnSync(process.execPath, [nest, 'build', 'cli'], { cwd: root, stdio: ['ignore', 2, 2] });
  }
  if (!existsSync(main)) {
    process.stderr.write('ces: the CLI is not built: run `npm run build` first\n');
    process.exit(1);
  }
}
require(main);
