#!/usr/bin/env bash
# Every cargo-fuzz target of fuzz/ for SECONDS each, one after the other, without a sanitizer
# (safe Rust: ASan finds little extra and runs slower; see fuzz/README.md). Each run starts from
# the target's committed seeds (fuzz/seeds/TARGET) and replays its committed reproducers
# (fuzz/regressions/TARGET) first; the working corpus is fuzz/corpus/TARGET (git-ignored).
# Installs cargo-fuzz (pinned) when it is missing and builds all targets once.
#
#   scripts/fuzz/run-all.sh 15        # what CI runs (.ci/fuzz)
#
# Prints one line per target with its executions; exits non-zero on the first crash, panic,
# timeout or out-of-memory, whose input libFuzzer writes to fuzz/artifacts/TARGET/.
# Needs the stable toolchain (RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's nightly flags).
set -euo pipefail
seconds=${1:?usage: run-all.sh SECONDS}
repo=$(cd "$(dirname "$0")/../.." && pwd)
cargo_fuzz_version=0.13.2
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target-fuzz}
cd "$repo/fuzz"

started=$(date +%s)
if ! cargo fuzz --version 2>/dev/null | grep -q "$cargo_fuzz_version"; then
  echo "== cargo install cargo-fuzz $cargo_fuzz_version"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
fi

echo "== cargo fuzz build --sanitizer none (all targets)"
cargo fuzz build --sanitizer none
built=$(date +%s)
echo "   built in $((built - started)) s"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
for target in $(cargo fuzz list); do
  corpus="corpus/$target"
  mkdir -p "$corpus"
  inputs=("$corpus" "seeds/$target")
  [ -d "regressions/$target" ] && inputs+=("regressions/$target")
  log="$logs/$target.log"
  if ! cargo fuzz run --sanitizer none "$target" "${inputs[@]}" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    echo "FAIL $target: libFuzzer stopped with a finding (input in fuzz/artifacts/$target/):"
    grep -v '^#\|^INFO\|^MS:' "$log" | tail -n 40
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
  echo "ok   $target: $runs executions in $seconds s ($coverage)"
done
echo "fuzzing passed in $(($(date +%s) - started)) s ($((built - started)) s of it building)"
