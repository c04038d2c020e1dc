#!/usr/bin/env bash
# A throwaway PostgreSQL cluster (Debian's postgresql 15) for the tests and benchmarks of the PostgreSQL store:
#   scripts/postgres.sh start [--durable]   creates and starts one in a new temporary directory, prints that directory
#   scripts/postgres.sh url DIR             prints the URL of its database (Unix socket in DIR, no TCP port)
#   scripts/postgres.sh stop DIR            stops it and removes the directory
# It runs as the unprivileged `postgres` user when started as root (initdb refuses root), trusts local connections
# on its private socket only (listen_addresses is empty), and, unless --durable, skips fsync: the tests are not
# about surviving a power cut, and the benchmarks pass --durable.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    test -x "$bin/initdb" || { echo "error: $bin/initdb is missing; install Debian's postgresql (make deps does)" >&2; exit 1; }
    dir=$(mktemp -d /tmp/runbook-postgres.XXXXXX)
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    settings="-c listen_addresses= -k $dir -p 5432 -c max_connections=200"
    if [ "${2:-}" != "--durable" ]; then settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -o "$settings" -l "$dir/server.log" -w -t 60 start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$dir"
    ;;
  url)
    echo "postgresql://postgres@/postgres?host=${2:?DIR}&port=5432"
    ;;
  stop)
    dir=${2:?DIR}
    case "$dir" in /tmp/runbook-postgres.*) ;; *) echo "error: $dir is not a cluster this script made" >&2; exit 1 ;; esac
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/postgres.sh start [--durable] | url DIR | stop DIR" >&2
    exit 2
    ;;
esac
