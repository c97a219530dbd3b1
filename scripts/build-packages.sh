#!/usr/bin/env bash
# Builds @ces/protocol and @ces/messenger as publishable packages under dist/libs/, and packs
# them into dist/packages/*.tgz so another app can `npm install` them.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/libs dist/packages
npx tsc -p libs/protocol/tsconfig.lib.json
cp libs/protocol/package.json dist/libs/protocol/
npx tsc -p libs/messenger/tsconfig.lib.json
cp libs/messenger/package.json dist/libs/messenger/
mkdir -p dist/packages
(cd dist/libs/protocol && npm pack --silent --pack-destination ../../packages >/dev/null)
(cd dist/libs/messenger && npm pack --silent --pack-destination ../../packages >/dev/null)
ls dist/packages
bash scripts/build-cli-package.sh
