#!/usr/bin/env bash
# Makes sure the Debian packages the test suite needs are installed: `chromium` (the dashboard's
# end-to-end tests drive it headless) and `nats-server`. Run by `npm test` (pretest) and by
# .ci/run, so a fresh machine needs nothing but `npm install && npm test`.
#
# As root, missing packages are installed with apt-get. Otherwise the script stops at once,
# printing the one command to run.
#
# Overrides (for tests of this script, or a machine with the programs elsewhere):
#   CES_CHROMIUM_PATH     where chromium is expected     (default /usr/bin/chromium)
#   CES_NATS_SERVER_PATH  where nats-server is expected  (default /usr/sbin/nats-server)
#   CES_APT_GET           the apt-get command            (default apt-get)
#   CES_USER_ID           the user id taken as ours      (default $(id -u))
set -euo pipefail

chromium_path=${CES_CHROMIUM_PATH:-/usr/bin/chromium}
nats_server_path=${CES_NATS_SERVER_PATH:-/usr/sbin/nats-server}
apt_get=${CES_APT_GET:-apt-get}
user_id=${CES_USER_ID:-$(id -u)}

missing=()
[ -x "$chromium_path" ] || missing+=(chromium)
[ -x "$nats_server_path" ] || missing+=(nats-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$user_id" != 0 ]; then
  echo "The tests need the Debian package(s) ${missing[*]}, which are not installed. Run:" >&2
  echo "  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installing the Debian package(s) the tests need: ${missing[*]}" >&2
$apt_get update -qq
DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq --no-install-recommends "${missing[@]}"
