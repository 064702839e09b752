#!/usr/bin/env bash
# What `make demo` shows at this stage: a store, a generated city, checked packs.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/xinyong demo "$@"
