#!/usr/bin/env bash
# Install the Debian packages a target needs, when running as root and missing.
# Usage: scripts/system-deps.sh test|demo
# Not root and missing: say what to install and fail, rather than half-working.
set -euo pipefail
need=()
have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
case "${1:-test}" in
  test|demo) have_pg || need+=(postgresql) ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2; exit 1
fi
echo "installing Debian packages: ${need[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
