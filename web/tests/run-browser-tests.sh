#!/usr/bin/env bash
# Browser tests against the real server: starts `leefbaar demo` on a free port with a fresh data
# directory, runs web/tests/smoke.mjs, views.mjs, axe.mjs and csp.mjs (no Content-Security-Policy
# violation on any page) in headless Chromium,
# stops the server.
# Usage: web/tests/run-browser-tests.sh path/to/leefbaar
# Needs: node >= 20, `npm ci` done in web/, Chromium at /usr/bin/chromium (or $CHROMIUM).
# Prints `N passed, M failed` last; exits non-zero on any failure.
set -uo pipefail

bin=${1:?usage: $0 path/to/leefbaar}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
web=$(cd "$(dirname "$0")/.." && pwd)
cd "$web"

data=$(mktemp -d)
out="$data/server.out"
err="$data/server.err"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

if [ ! -x "$bin" ]; then
  echo "FAIL not an executable: $bin"
  failed=1
  finish
fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  echo "FAIL web/node_modules is missing: run 'cd web && npm ci' first"
  failed=1
  finish
fi

"$bin" demo --bundle "$web/../data/drenthe/manifest.toml" --port 0 --no-progress --data-dir "$data/store" >"$out" 2>"$err" &
pid=$!

# The server's first stdout line names its URL; building the store takes a few seconds.
url=
for _ in $(seq 1 1200); do
  line=$(head -n 1 "$out" 2>/dev/null || true)
  url=$(printf '%s\n' "$line" | grep -o 'http://[^ ]*' | head -n 1 || true)
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "FAIL the server did not print its URL; its output:"
  sed 's/^/    /' "$out" "$err" | tail -n 30
  failed=1
  finish
fi
url=${url%/}
echo "server: $url (pid $pid)"

run() {
  local script=$1 log="$data/$(basename "$1").log" code
  echo "== node $script $url"
  node "$script" "$url" 2>&1 | tee "$log"
  code=${PIPESTATUS[0]}
  local ok bad
  ok=$(grep -c '^ok ' "$log" || true)
  bad=$(grep -c '^FAIL ' "$log" || true)
  passed=$((passed + ok))
  failed=$((failed + bad))
  if [ "$code" -ne 0 ] && [ "$bad" -eq 0 ]; then
    echo "FAIL $script exited with $code"
    failed=$((failed + 1))
  fi
}
run tests/smoke.mjs
run tests/views.mjs
run tests/axe.mjs
run tests/csp.mjs

if ! kill -0 "$pid" 2>/dev/null; then
  echo "FAIL the server stopped during the tests; its log:"
  tail -n 20 "$err" | sed 's/^/    /'
  failed=$((failed + 1))
fi
finish
