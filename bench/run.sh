#!/usr/bin/env bash
# End-to-end benchmarks of the event-log engine (docs/performance.md shows a run).
#
#   bench/run.sh [BENCH_DIR]      default BENCH_DIR=/tmp/sparkmedic-bench (needs ~10 GB free)
#
# Generates the `bench` scenario (1,000,000 task attempts, Spark 3.5 shapes) as a plain file, a
# Spark-style zstd file and a rolling directory (128 MiB parts, zstd), then measures, from the
# page cache:
#   1. model build on plain JSON, 1 thread (MB/s of JSON) and peak RSS;
#   2. zstd input vs `zstd -dc > /dev/null` on the same file;
#   3. the rolling log with 1 and 2 threads;
#   4. resident bytes per task attempt (Google Benchmark, bench/bench_load.cc);
#   5. side by side: jq and a Python standard-library script counting failed task ends.
# Every tool's answer (the number of task ends that are not Success) must agree.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/sparkmedic-bench}
mkdir -p "$dir"
scripts/install-deps.sh --tests >/dev/null
command -v hyperfine >/dev/null || true

cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPARKMEDIC_BUILD_TESTS=OFF \
      -DSPARKMEDIC_BUILD_BENCHMARKS=ON >/dev/null
ninja -C build-bench sparkmedic sparkmedic-gen bench_load >/dev/null
sm=build-bench/src/frontends/cli/sparkmedic
gen=build-bench/tools/gen_eventlog/sparkmedic-gen

plain=$dir/app-bench
zst=$dir/app-bench.zstd
roll=$dir/rolling
[[ -f $plain ]] || $gen --scenario bench --seed 1 -o "$plain" --manifest "$dir/manifest.json"
[[ -f $zst ]] || $gen --scenario bench --seed 1 --codec zstd -o "$zst"
[[ -d $roll ]] || { mkdir -p "$roll"; $gen --scenario bench --seed 1 --codec zstd \
                      --rolling-max-bytes 134217728 -o "$roll"; }
rolldir=$(ls -d "$roll"/eventlog_v2_* | head -1)

size=$(stat -c %s "$plain")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "plain log: $size bytes; zstd: $(stat -c %s "$zst") bytes; rolling: $(ls "$rolldir" | wc -l) files"
cat "$plain" "$zst" "$rolldir"/* > /dev/null   # page cache

# seconds and peak RSS (KB) of a command: prints "secs rss_kb"
measure() {
  local out
  out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -1)
  echo "$out"
}
best_of() {  # best_of N cmd... → best "secs rss"
  local n=$1; shift; local best="" r
  for _ in $(seq "$n"); do
    r=$(measure "$@")
    if [[ -z $best ]] || awk -v a="${r% *}" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best=$r; fi
  done
  echo "$best"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN{printf "%.0f", b/1e6/s}'; }

echo
echo "== 1. model build, plain JSON, 1 thread"
r=$(best_of 3 $sm info --threads 1 --format json "$plain"); s=${r% *}; rss=${r#* }
echo "   $s s, $(mbps "$size" "$s") MB/s, peak RSS $((rss/1024)) MiB ($(awk -v r="$rss" -v b="$size" 'BEGIN{printf "%.1f", r*1024*100/b}')% of the log)"

echo "== 2. zstd input vs zstd -dc"
r=$(best_of 3 zstd -dcq "$zst"); zs=${r% *}
r=$(best_of 3 $sm info --threads 1 --format json "$zst"); ss=${r% *}
echo "   zstd -dc: $zs s; sparkmedic: $ss s; ratio $(awk -v a="$ss" -v b="$zs" 'BEGIN{printf "%.2f", a/b}')"
r=$(best_of 3 $sm info --threads 2 --format json "$zst"); echo "   sparkmedic, 2 threads: ${r% *} s"

echo "== 3. rolling log ($(ls "$rolldir" | grep -c events_) parts), 1 vs 2 threads"
r1=$(best_of 3 $sm info --threads 1 --format json "$rolldir"); r2=$(best_of 3 $sm info --threads 2 --format json "$rolldir")
echo "   1 thread: ${r1% *} s; 2 threads: ${r2% *} s; speed-up $(awk -v a="${r1% *}" -v b="${r2% *}" 'BEGIN{printf "%.2f", a/b}')x"

echo "== 4. resident bytes per task attempt"
tasks=$($sm info --format json "$plain" | python3 -c 'import json,sys; print(json.load(sys.stdin)["applications"][0]["attempts"][0]["tasks"]["attempts"])')
SPARKMEDIC_BENCH_LOG=$plain SPARKMEDIC_BENCH_EXPECT_TASKS=$tasks build-bench/bench/bench_load \
  --benchmark_filter='BM_Load/threads:1' 2>&1 | grep -E "BM_Load|^-" | tail -2

echo "== 5. counting failed task ends (Reason != Success): sparkmedic vs jq vs Python"
ours=$($sm info --format json "$plain" | python3 -c 'import json,sys; t=json.load(sys.stdin)["applications"][0]["attempts"][0]["tasks"]; print(t["failed"]+t["killed"])')
start=$(date +%s.%N); jqn=$(jq -c 'select(.Event=="SparkListenerTaskEnd" and .["Task End Reason"].Reason != "Success") | 1' "$plain" | wc -l); jqs=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N); pyn=$(python3 bench/count_failed_tasks.py "$plain"); pys=$(echo "$(date +%s.%N) - $start" | bc)
r=$(best_of 1 $sm info --threads 1 --format json "$plain")
echo "   sparkmedic: $ours in ${r% *} s | jq: $jqn in $jqs s | python: $pyn in $pys s"
[[ "$ours" == "$jqn" && "$ours" == "$pyn" ]] || { echo "ANSWERS DIFFER" >&2; exit 1; }

echo "== 6. diagnosis on top of the model build (1 thread)"
ri=$(best_of 3 $sm info --threads 1 --format json "$plain")
rd=$(best_of 3 bash -c "$sm diagnose --threads 1 --format json '$plain' > /dev/null; [[ \$? -le 1 ]]")
echo "   info (load only): ${ri% *} s; diagnose (load + diagnosis + skew): ${rd% *} s; added $(awk -v a="${rd% *}" -v b="${ri% *}" 'BEGIN{printf "%.1f", (a-b)*100/b}')%"
