#!/usr/bin/env bash
# Builds @ces/protocol and @ces/messenger as publishable packages under dist/libs/ (CommonJS
# with declarations; the messenger's browser client as one ES module), and packs them into
# dist/packages/*.tgz so another app can `npm install` them.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/libs dist/packages
npx tsc -p libs/protocol/tsconfig.lib.json
cp libs/protocol/package.json libs/protocol/README.md dist/libs/protocol/
node scripts/stamp-repository.js dist/libs/protocol libs/protocol
npx tsc -p libs/messenger/tsconfig.lib.json
node scripts/build-browser-client.js dist/libs/messenger/browser
cp libs/messenger/package.json libs/messenger/README.md dist/libs/messenger/
node scripts/stamp-repository.js dist/libs/messenger libs/messenger
mkdir -p dist/packages
(cd dist/libs/protocol && npm pack --silent --pack-destination ../../packages >/dev/null)
(cd dist/libs/messenger && npm pack --silent --pack-destination ../../packages >/dev/null)
ls dist/packages
bash scripts/build-cli-package.sh
