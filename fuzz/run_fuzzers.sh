#!/usr/bin/env bash
# Runs every fuzz target for a while (the decoders, then the whole event-log path), seeded from
# the shared corpus.
# Usage: fuzz/run_fuzzers.sh <build-fuzz-dir> [seconds-per-target=60] [codec... | event_log]
# Seeds and the growing corpus live in <build-fuzz-dir>/fuzz/{seeds,corpus}/<codec>, never in
# the repository; crash files go to <build-fuzz-dir>/fuzz/artifacts/.
set -euo pipefail

build=${1:?usage: $0 <build-fuzz-dir> [seconds] [codec...]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
codecs=("$@")
[[ ${#codecs[@]} -gt 0 ]] || codecs=(lz4 snappy lzf zstd gzip event_log)
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

# Seeds of the event-log target: the head and tail of small logs (whole logs would make every
# input slow), from the corpus and from the generator when it is built.
seed_event_log() {
  local dir=$out/seeds/event_log f
  mkdir -p "$dir"
  for f in "$corpus"/eventlogs/spark-2.4-tests/*; do
    [[ -f $f && $(stat -c %s "$f") -lt 300000 ]] || continue
    { head -60 "$f"; tail -5 "$f"; } > "$dir/$(basename "$f")"
  done
  local gen=$build/tools/gen_eventlog/sparkmedic-gen sc
  if [[ -x $gen ]]; then
    for sc in mixed skew oom-k8s microbatch-streaming continuous-streaming; do
      "$gen" --scenario "$sc" --seed 2 --tasks 40 -o "$dir/gen.full" >/dev/null
      { head -60 "$dir/gen.full"; tail -5 "$dir/gen.full"; } > "$dir/gen-$sc"
    done
    rm -f "$dir/gen.full"
  fi
}

mkdir -p "$out/artifacts"
for codec in "${codecs[@]}"; do
  if [[ $codec == event_log ]]; then
    seed_event_log
    mkdir -p "$out/corpus/event_log"
    echo "== fuzz_event_log for ${seconds}s"
    "$out/fuzz_event_log" -max_total_time="$seconds" -print_final_stats=1 -max_len=32768 \
      -dict="$repo/fuzz/event_log.dict" -artifact_prefix="$out/artifacts/event_log-" \
      -rss_limit_mb=2048 "$out/corpus/event_log" "$out/seeds/event_log" 2>&1 |
      grep -E "DONE|stat::|ERROR|SUMMARY|Test unit written|deadly" || true
    continue
  fi
  seed "$codec"
  mkdir -p "$out/corpus/$codec"
  echo "== fuzz_${codec}_decoder for ${seconds}s"
  "$out/fuzz_${codec}_decoder" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/${codec}-" -rss_limit_mb=2048 \
    "$out/corpus/$codec" "$out/seeds/$codec" 2>&1 | grep -E "DONE|stat::|ERROR|SUMMARY|Test unit written|deadly" || true
done
