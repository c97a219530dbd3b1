#!/usr/bin/env node
// The `ces` command: the compiled CLI, built with the apps by `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('ces: run `npm run build` first\n');
  process.exit(2);
}
require(main);
