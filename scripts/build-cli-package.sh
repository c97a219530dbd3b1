#!/usr/bin/env bash
# Packs the ces command-line client as dist/packages/ces-cli-<version>.tgz: one bundled file
# (webpack, every dependency inside) and a package.json with `bin`, so that
#   npm install -g dist/packages/ces-cli-<version>.tgz
# gives a `ces` command on any machine with Node, without this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/cli-package
node apps/cli/package/bundle.js
chmod +x dist/cli-package/ces.js
node -e '
  const { version, license, engines } = require("./package.json");
  const manifest = {
    name: "@ces/cli",
    version,
    description: "ces: a command-line client for Central Event System hubs and repeaters",
    license,
    bin: { ces: "ces.js" },
    files: ["ces.js"],
    engines,
  };
  require("node:fs").writeFileSync("dist/cli-package/package.json", JSON.stringify(manifest, null, 2) + "\n");
'
node scripts/stamp-repository.js dist/cli-package apps/cli
mkdir -p dist/packages
(cd dist/cli-package && npm pack --silent --pack-destination ../packages >/dev/null)
ls dist/packages/ces-cli-*.tgz
