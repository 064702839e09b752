#!/usr/bin/env bash
# Run the test suite against SQLite and a real PostgreSQL server, started here
# and stopped on exit whatever happens. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
url=$(scripts/pg.sh start)
trap 'scripts/pg.sh stop' EXIT
XINYONG_TEST_DATABASE_URL="$url" .venv/bin/pytest "$@"
