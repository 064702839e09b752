#!/usr/bin/env bash
# What `make demo` shows: a store, a generated and ingested city, checked packs, the API served.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/xinyong demo "$@"
