#!/usr/bin/env bash
# Runs every decoder fuzz target for a while, seeded from the shared corpus.
# Usage: fuzz/run_fuzzers.sh <build-fuzz-dir> [seconds-per-target=60] [codec...]
# Seeds and the growing corpus live in <build-fuzz-dir>/fuzz/{seeds,corpus}/<codec>, never in
# the repository; crash files go to <build-fuzz-dir>/fuzz/artifacts/.
set -euo pipefail

build=${1:?usage: $0 <build-fuzz-dir> [seconds] [codec...]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
codecs=("$@")
[[ ${#codecs[@]} -gt 0 ]] || codecs=(lz4 snappy lzf zstd gzip)
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${SPARKMEDIC_CORPUS_DIR:-$repo/../shared/corpus}
out=$build/fuzz

seed() {  # seed <codec>: small real files of that codec, when the corpus is there
  local dir=$out/seeds/$1
  mkdir -p "$dir"
  : > "$dir/empty"
  local plain=$corpus/eventlogs/spark-2.4-tests/app-20161116163331-0000
  case $1 in
    gzip) [[ -f $plain ]] && gzip -c "$plain" > "$dir/app.gz" ;;
    *) cp -f "$corpus"/eventlogs/spark-codecs/app-20161116163331-0000."$1" "$dir/" 2>/dev/null || true ;;
  esac
  if [[ $1 == lz4 ]]; then
    cp -f "$corpus"/eventlogs/spark-codecs/eventlog_v2_local-1430917381534/*.lz4 "$dir/" 2>/dev/null || true
  fi
}

mkdir -p "$out/artifacts"
for codec in "${codecs[@]}"; do
  seed "$codec"
  mkdir -p "$out/corpus/$codec"
  echo "== fuzz_${codec}_decoder for ${seconds}s"
  "$out/fuzz_${codec}_decoder" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/${codec}-" -rss_limit_mb=2048 \
    "$out/corpus/$codec" "$out/seeds/$codec" 2>&1 | grep -E "DONE|stat::|ERROR|SUMMARY|Test unit written|deadly" || true
done
