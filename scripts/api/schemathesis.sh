#!/usr/bin/env bash
# The API contract test: builds the Drenthe demo store with BINARY, serves it on a free port
# without a rate limit, and runs schemathesis (pinned in requirements.txt, installed into
# target/schemathesis-venv) against the served /api/v1/openapi.json: every phase (examples,
# coverage, fuzzing, stateful), every check, a fixed seed and at most $SCHEMATHESIS_EXAMPLES
# (default 30) generated requests per operation. Fails on any failure; stops the server on exit.
#
#   cargo build --release -p leefbaar
#   scripts/api/schemathesis.sh target/release/leefbaar
#
# The settings of single operations are in scripts/api/schemathesis.toml (with the reasons).
# Needs python3 (venv) and network access to PyPI on the first run.
set -euo pipefail
binary=$(realpath "${1:?usage: schemathesis.sh BINARY}")
repo=$(cd "$(dirname "$0")/../.." && pwd)
examples=${SCHEMATHESIS_EXAMPLES:-30}
seed=${SCHEMATHESIS_SEED:-18}
venv="$repo/target/schemathesis-venv"
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
if [ ! -x "$venv/bin/schemathesis" ] || ! cmp -s "$repo/scripts/api/requirements.txt" "$venv/requirements.txt"; then
  echo "== schemathesis into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$repo/scripts/api/requirements.txt"
  cp "$repo/scripts/api/requirements.txt" "$venv/requirements.txt"
fi
"$venv/bin/schemathesis" --version

export NO_COLOR=1 LEEFBAAR_LOG=warn
echo "== leefbaar demo --no-serve (the bundled Drenthe data)"
"$binary" --no-progress --data-dir "$work/data" demo --no-serve --bundle "$repo/data/drenthe/manifest.toml" >/dev/null

echo "== leefbaar serve --port 0 --rate-limit 0"
"$binary" --no-progress --data-dir "$work/data" serve --port 0 --rate-limit 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
address=""
for _ in $(seq 1 600); do
  address=$(grep -o 'http://[^/ ]*' "$work/serve.out" 2>/dev/null | head -n 1 || true)
  [ -n "$address" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; echo "error: serve stopped" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "error: serve printed no address within 60 s" >&2; exit 1; }

echo "== schemathesis run $address/api/v1/openapi.json (seed $seed, at most $examples examples per operation)"
# One worker: the server shares the machine, and a fixed order keeps the run reproducible.
# Run from the temporary directory: schemathesis keeps its example database in ./.schemathesis.
cd "$work"
"$venv/bin/schemathesis" --config-file "$repo/scripts/api/schemathesis.toml" run \
  "$address/api/v1/openapi.json" \
  --phases examples,coverage,fuzzing,stateful \
  --checks all \
  --max-examples "$examples" \
  --seed "$seed" \
  --request-timeout 60 \
  --workers 1
echo "schemathesis passed in $(($(date +%s) - started)) s"
