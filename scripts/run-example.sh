#!/usr/bin/env bash
# Installs what is missing, builds sparkmedic (Release), generates the bundled example event
# log (a Spark 3.5 application on Kubernetes with failures of every kind, zstd-compressed as
# Spark 3.2+ writes it) and runs the main job on it: `sparkmedic diagnose`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPARKMEDIC_BUILD_TESTS=OFF \
      >/dev/null
ninja -C build-release -j"$(nproc)" sparkmedic sparkmedic-gen
mkdir -p out
example=out/example-app-mixed.zstd
build-release/tools/gen_eventlog/sparkmedic-gen --scenario mixed --seed 7 --codec zstd \
  --output "$example"
echo "== sparkmedic diagnose $example"
# Exit code 1 means "failures found", which is what this example has.
rc=0
build-release/src/frontends/cli/sparkmedic diagnose "$example" || rc=$?
if [[ $rc -gt 1 ]]; then exit "$rc"; fi
