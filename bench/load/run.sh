#!/usr/bin/env bash
# Load test on loopback: `leefbaar serve` against Datasette on the same SQLite file, in one run.
# Usage: bench/load/run.sh path/to/release/leefbaar   (see bench/load/README.md)
# With LOAD_POSTGRES=postgres://… (a throw-away database, e.g. from scripts/postgres/cluster.sh)
# the same questions are also asked of a `leefbaar serve` whose store is in PostgreSQL.
set -euo pipefail

if [[ $# -ne 1 || ! -x $1 ]]; then
    echo "usage: $0 path/to/release/leefbaar (build it with: cargo build --release -p leefbaar)" >&2
    exit 2
fi
binary=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
target="$root/target"
datasette_version=0.65.5
short=${LOAD_SHORT_SECONDS:-10}
long=${LOAD_LONG_SECONDS:-60}

if ! command -v wrk >/dev/null; then
    echo "installing wrk from Debian's packages" >&2
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
venv="$target/load-venv"
if [[ ! -x $venv/bin/datasette ]] || ! "$venv/bin/datasette" --version | grep -q "$datasette_version"; then
    echo "installing datasette $datasette_version in $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "datasette==$datasette_version"
fi

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    echo "$1 did not answer within 300 s" >&2
    exit 1
}

echo "building the store: leefbaar demo --no-serve" >&2
started=$(date +%s)
"$binary" demo --no-serve --no-progress --data-dir "$work/data" >"$work/demo.log" 2>&1 \
    || { cat "$work/demo.log" >&2; exit 1; }
echo "store built in $(($(date +%s) - started)) s" >&2
store="$work/data/leefbaar.sqlite"

postgres_args=()
if [[ -n ${LOAD_POSTGRES:-} ]]; then
    echo "importing the same bundle into PostgreSQL" >&2
    started=$(date +%s%N)
    "$binary" --database "$LOAD_POSTGRES" demo --no-serve --no-progress --data-dir "$work/pg" \
        >"$work/demo-pg.log" 2>&1 || { cat "$work/demo-pg.log" >&2; exit 1; }
    echo "PostgreSQL store built in $(( ($(date +%s%N) - started) / 1000000 )) ms" >&2
    postgres_port=$(free_port)
    "$binary" --database "$LOAD_POSTGRES" serve --data-dir "$work/pg" --port "$postgres_port" \
        --rate-limit 0 >"$work/serve-pg.out" 2>"$work/serve-pg.log" &
    pids+=($!)
    postgres_args=(--postgres "http://127.0.0.1:$postgres_port" --postgres-pid "$!")
    wait_for "http://127.0.0.1:$postgres_port/readyz"
fi

leefbaar_port=$(free_port)
# Logs as in production (one JSON line per request), written to a file as a collector would.
"$binary" serve --data-dir "$work/data" --port "$leefbaar_port" --rate-limit 0 \
    >"$work/serve.out" 2>"$work/serve.log" &
pids+=($!)
leefbaar_pid=$!
datasette_port=$(free_port)
# Immutable: Datasette neither locks nor watches the file. Every row of a level in one answer
# (its default stops at 1,000), and time to read them.
"$venv/bin/datasette" serve --immutable "$store" --port "$datasette_port" \
    --setting max_returned_rows 100000 --setting sql_time_limit_ms 10000 \
    >"$work/datasette.log" 2>&1 &
pids+=($!)
datasette_pid=$!
wait_for "http://127.0.0.1:$leefbaar_port/readyz"
wait_for "http://127.0.0.1:$datasette_port/leefbaar.json"

versions="Leefbaar $("$binary" --version | awk '{print $2}') (release build), Datasette $datasette_version, $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), $(python3 --version)."
python3 "$root/bench/load/load.py" \
    --leefbaar "http://127.0.0.1:$leefbaar_port" --leefbaar-pid "$leefbaar_pid" \
    --datasette "http://127.0.0.1:$datasette_port" --datasette-pid "$datasette_pid" \
    --store "$store" --short "$short" --long "$long" --versions "$versions" \
    --out "$target/load-report.md" "${postgres_args[@]}"
echo "report: $target/load-report.md" >&2
