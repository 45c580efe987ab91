#!/usr/bin/env bash
# A PostgreSQL server for the tests, on loopback: installs Debian's `postgresql` if missing (as root,
# or through sudo), starts the cluster, makes role and database `dtpc_test` with a password, and
# prints the connection URL on stdout (all else goes to stderr). Safe to run again and concurrently.
#   export DTPC_TEST_POSTGRES_URL=$(scripts/test-postgres.sh)
# DTPC_PG_NO_INSTALL=1: never install, fail if PostgreSQL is absent (the tests' fallback uses this).
set -euo pipefail

NAME=dtpc_test
PASSWORD=${DTPC_TEST_POSTGRES_PASSWORD:-dtpc_test}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

say() { echo "test-postgres: $*" >&2; }

# One run at a time (pytest workers may start it together).
exec 9>"${TMPDIR:-/tmp}/dtpc-test-postgres.lock"
flock -w 600 9

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  if [ "${DTPC_PG_NO_INSTALL:-0}" = 1 ]; then
    say "PostgreSQL is not installed (and DTPC_PG_NO_INSTALL=1)"
    exit 3
  fi
  say "installing postgresql"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  say "creating cluster $version/main"
  $SUDO pg_createcluster "$version" main >&2 9>&-
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
status=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')
if [ "$status" != online ]; then
  say "starting cluster $version/main on port $port"
  # listen_addresses defaults to localhost: loopback only.
  # 9>&-: the server must not inherit (and keep) the lock.
  $SUDO pg_ctlcluster "$version" main start >&2 9>&- || $SUDO service postgresql start >&2 9>&-
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port" >&2

psql_admin() { $SUDO runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }
psql_admin -d postgres >&2 <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$NAME', '$PASSWORD')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$NAME') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', '$NAME', '$PASSWORD') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0', '$NAME', '$NAME')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$NAME') \gexec
SQL

url="postgresql://$NAME:$PASSWORD@127.0.0.1:$port/$NAME"
PGPASSWORD=$PASSWORD psql -X -q -h 127.0.0.1 -p "$port" -U "$NAME" -d "$NAME" -c "SELECT 1" >/dev/null
say "ready: postgresql://$NAME:***@127.0.0.1:$port/$NAME"
echo "$url"
