#!/usr/bin/env node
// Gives a packed package's manifest the `repository` field registries show, pointing into
// this monorepo (`directory`): from CES_REPOSITORY (a git URL) or the root package.json's
// `repository`. Without either the manifest is left as it is — no invented URL.
//   node scripts/stamp-repository.js <manifest-dir> <directory-in-repo>
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [manifestDir, directory] = process.argv.slice(2);
const root = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
const declared = typeof root.repository === 'string' ? { url: root.repository } : root.repository;
const url = process.env.CES_REPOSITORY || declared?.url;
if (url) {
  const file = join(manifestDir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  manifest.repository = { type: 'git', url, directory };
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
