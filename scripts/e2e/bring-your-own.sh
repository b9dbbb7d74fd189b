#!/usr/bin/env bash
# The worked example of docs/bundle-format.md against any leefbaar binary: copies
# docs/examples/turnout-drenthe to a temporary directory, checks it, imports it into a store of
# its own, serves it on a free port and asks the API for Drenthe's turnout, which must be the
# share recomputed from the CSV's counts. Nothing outside the temporary directory is written.
#
#   cargo build --release -p leefbaar
#   scripts/e2e/bring-your-own.sh target/release/leefbaar
#
# Exits non-zero, saying which step failed, when one does. Needs curl and python3.
set -euo pipefail
binary=$(realpath "${1:?usage: bring-your-own.sh BINARY}")
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s%N)
cp -r "$repo/docs/examples/turnout-drenthe" "$work/bundle"
cd "$work/bundle"
export NO_COLOR=1 LEEFBAAR_LOG=warn
run() { "$binary" --no-progress --data-dir "$work/data" "$@"; }

echo "== leefbaar check"
run check manifest.toml

echo "== leefbaar import"
run import manifest.toml

echo "== leefbaar serve --port 0"
# The binary itself in the background (not through `run`), so `$!` is its process to stop.
"$binary" --no-progress --data-dir "$work/data" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
address=""
for _ in $(seq 1 100); do
  address=$(grep -o 'http://[^/ ]*' "$work/serve.out" 2>/dev/null | head -n 1 || true)
  [ -n "$address" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; echo "error: serve stopped" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "error: serve printed no address within 10 s" >&2; exit 1; }

echo "== GET $address/api/v1/observations?indicator=turnout&area=PV22&year=2012"
body=$(curl -sf "$address/api/v1/observations?indicator=turnout&area=PV22&year=2012")
echo "$body"
python3 - "$body" tk_opkomst_drenthe_2010_2012.csv <<'EOF'
import csv, json, sys
value = json.loads(sys.argv[1])["data"][0]["value"]
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["jaar"] == "2012"]
expected = 100 * sum(int(r["opkomst"]) for r in rows) / sum(int(r["kiesgerechtigden"]) for r in rows)
if abs(value - expected) > 1e-9:
    sys.exit(f"error: Drenthe's turnout is {value}, expected {expected} (Σ opkomst / Σ kiesgerechtigden)")
print(f"ok: Drenthe's turnout in 2012 is {value:.2f} %, recomputed from the CSV's counts")
EOF
ms=$(( ($(date +%s%N) - started) / 1000000 ))
printf 'done in %d.%03d s\n' $((ms / 1000)) $((ms % 1000))
