#!/usr/bin/env bash
# Runs a command beside a private PostgreSQL: installs Debian's server if it is missing, starts it as a
# non-root user in its own data directory on a free loopback port, exports its connection string as
# TIKTOKADS_TEST_POSTGRES, runs the command, and stops the server however the command ends.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

PG_BIN="$(pg_bin || true)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "with-postgres: PostgreSQL is not installed; run as root once, or: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  PG_BIN="$(pg_bin)"
fi

# PostgreSQL refuses to run as root: use the postgres account (created here if the packages did not).
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  RUN_AS=(runuser -u postgres --)
fi

WORK="$(mktemp -d /tmp/tiktokads-pg.XXXXXX)"
[ "$(id -u)" = 0 ] && chown postgres "$WORK"

PORT=""
for candidate in $(seq 55432 55731); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PORT="$candidate"; break; fi
done
[ -n "$PORT" ] || { echo "with-postgres: no free port in 55432-55731" >&2; exit 1; }

stop() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT

"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
# Tests trade durability for speed; TIKTOKADS_PG_DURABLE=1 runs PostgreSQL as production should, for benchmarks of
# durable-before-202: fsync and synchronous commit on (the defaults), and the settings docs/CLUSTER.md recommends.
# docker-compose.yml's postgres service carries the same settings (ComposeFileTests checks it).
PRODUCTION_SETTINGS="-c backend_flush_after=256kB"
DURABILITY="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${TIKTOKADS_PG_DURABLE:-0}" = 1 ] && DURABILITY="$PRODUCTION_SETTINGS"
# TIKTOKADS_PG_OPTIONS adds server settings, e.g. "-c shared_preload_libraries=pg_stat_statements" to profile a run.
# TIKTOKADS_PG_ENV sets variables for the server alone, e.g. "GLIBC_TUNABLES=glibc.malloc.trim_threshold=1073741824".
"${RUN_AS[@]}" env ${TIKTOKADS_PG_ENV:-} "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=400 $DURABILITY ${TIKTOKADS_PG_OPTIONS:-}" \
  start >/dev/null
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2

export TIKTOKADS_TEST_POSTGRES="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
export TIKTOKADS_TEST_PSQL="$PG_BIN/psql -h 127.0.0.1 -p $PORT -U postgres"
set +e
"$@"
status=$?
set -e
exit "$status"
