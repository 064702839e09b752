#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL server for the test suite, on 127.0.0.1.
#   scripts/pg.sh start   -> prints the SQLAlchemy URL of an empty database
#   scripts/pg.sh stop
# Debian's default cluster stays down in containers; we run our own in /tmp.
# As root, the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail
PORT=${XINYONG_TEST_PG_PORT:-54329}
DIR=/tmp/xinyong-pg-$PORT
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "pg.sh: PostgreSQL is not installed (make test installs it as root)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-}" in
  start)
    if [ -f "$DIR/data/postmaster.pid" ]; then as_owner "$PGBIN/pg_ctl -D $DIR/data -m immediate stop" >/dev/null 2>&1 || true; fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_owner "$PGBIN/initdb -D $DIR/data -A trust -E UTF8 --locale=C.UTF-8 -U xinyong" >"$DIR.initdb.log" 2>&1 \
      || { cat "$DIR.initdb.log" >&2; exit 1; }
    as_owner "$PGBIN/pg_ctl -D $DIR/data -l $DIR/server.log -w -o '-h 127.0.0.1 -p $PORT -k $DIR -F' start" >/dev/null \
      || { cat "$DIR/server.log" >&2; exit 1; }
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U xinyong xinyong_test
    echo "postgresql+psycopg://xinyong@127.0.0.1:$PORT/xinyong_test"
    ;;
  stop)
    [ -d "$DIR/data" ] && as_owner "$PGBIN/pg_ctl -D $DIR/data -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$DIR" "$DIR.initdb.log"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
