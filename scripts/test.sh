#!/usr/bin/env bash
# Installs what is missing, builds sparkmedic and runs every test:
#   1. the full suite (unit, corpus, CLI) on a RelWithDebInfo build, with warnings as errors;
#   2. the unit tests again under AddressSanitizer + UBSan.
# The corpus is read from ../shared/corpus (override: SPARKMEDIC_CORPUS_DIR=/path); tests that
# need it report themselves skipped when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests

jobs=$(nproc)
corpus=${SPARKMEDIC_CORPUS_DIR:-$(pwd)/../shared/corpus}
# Compiler cache outside the repository, shared by every clone (paths are hashed relative to
# the clone), so a warm machine recompiles only what changed.
export CCACHE_DIR=${CCACHE_DIR:-${SPARKMEDIC_CACHE:-$HOME/.cache/sparkmedic}/ccache}
export CCACHE_BASEDIR=$(pwd)
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-6G}
launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPARKMEDIC_WERROR=ON \
      -DSPARKMEDIC_CORPUS_DIR="$corpus" "${launcher[@]}" >/dev/null
ninja -C build -j"$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPARKMEDIC_SANITIZE=ON \
      -DSPARKMEDIC_WERROR=ON -DSPARKMEDIC_CORPUS_DIR="$corpus" "${launcher[@]}" >/dev/null
ninja -C build-asan -j"$jobs"

echo "== sanitizer run (AddressSanitizer + UBSan): unit tests"
asan_log=build-asan/ctest-asan.log
if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --test-dir build-asan -L unit -j"$jobs" --output-on-failure --timeout 600 \
     > "$asan_log" 2>&1; then
  cat "$asan_log"
  echo "sanitizer run: FAILED (see above)"
  exit 1
fi
# Reworded so that the full run's ctest summary below is the only one in this output.
sed -n 's/^\([0-9]*\)% tests passed, \([0-9]*\) tests failed out of \([0-9]*\)$/sanitizer run: \1% of \3 unit tests passed under ASan+UBSan/p' "$asan_log"

echo "== full run"
ctest --test-dir build -j"$jobs" --output-on-failure --timeout 600
