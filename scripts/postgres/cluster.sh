#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: `cluster.sh start DIR [PORT]` creates it in DIR
# (owned by an unprivileged user, since PostgreSQL refuses to run as root), listening on
# 127.0.0.1:PORT only with trust authentication, and prints the URL the tests take through
# LEEFBAAR_TEST_POSTGRES; `cluster.sh stop DIR` stops it and deletes DIR.
#
# It needs Debian's postgresql package (the binaries under /usr/lib/postgresql/*/bin); `.ci/run`
# installs it. Nothing here touches a system cluster.
set -euo pipefail
action=${1:?usage: cluster.sh start|stop DIR [PORT]}
dir=${2:?usage: cluster.sh start|stop DIR [PORT]}
port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "cluster.sh: no PostgreSQL under /usr/lib/postgresql; install Debian's postgresql package" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case "$action" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=leefbaar --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    # fsync off: a throw-away cluster for tests, where speed matters and a crash loses nothing
    # of value (the crash test kills the importer, not the server).
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" \
      start >/dev/null
    as_owner "$bin/createdb" --host=127.0.0.1 --port="$port" --username=leefbaar leefbaar
    echo "postgres://leefbaar@127.0.0.1:$port/leefbaar"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "cluster.sh: unknown action $action (start or stop)" >&2
    exit 2
    ;;
esac
