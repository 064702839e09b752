#!/usr/bin/env bash
# Install the named Debian packages that are missing, when running as root.
# Usage: scripts/system-deps.sh PACKAGE...   (the Makefile names them per target)
# Not root and missing: say what to install and fail, rather than half-working.
set -euo pipefail
need=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2; exit 1
fi
echo "installing Debian packages: ${need[*]}"
# Slim images drop /usr/share/man, where the JRE's postinst links its man pages.
mkdir -p /usr/share/man/man1
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
