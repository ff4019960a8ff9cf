#!/usr/bin/env bash
# `sparkmedic serve` under load: time to the first answer of a 1M-task application, then wrk
# (60 s, 64 connections) against taskList pages and `stages` (docs/performance.md shows a run).
#
#   bench/serve_load.sh [BENCH_DIR]       default BENCH_DIR=/tmp/sparkmedic-bench
#
# Environment: BUILD_DIR (default build-bench, Release), PORT (18099), DURATION (60s),
# CONNECTIONS (64), WRK_THREADS (2), WRK_TIMEOUT (30s), SERVE_THREADS (2), RSS_EVERY (seconds
# between RSS samples, 5), ACCEPT_ENCODING (sent by wrk and the cold curl with every load request,
# e.g. "gzip" as browsers, `curl --compressed` and Python's requests send it; default none, so
# answers go uncompressed). Any other variable reaches the server as set (its environment).
#
# Steps:
#   1. builds `sparkmedic` (Release) and, if BENCH_DIR/app-bench is missing, generates it with
#      `sparkmedic-gen --scenario bench --seed 1` (1,009,077 task attempts, 6.5 GB);
#   2. puts the log in the page cache, starts `sparkmedic serve --event-logs BENCH_DIR/serve-logs
#      --listen 127.0.0.1:PORT --threads SERVE_THREADS` (serve-logs holds a symlink to the log),
#      and measures from process start: the first successful `applications` answer (start-up
#      listing read) and the first successful `applications/{app}/stages` answer (that request
#      loads the full model); MB/s = log bytes / seconds;
#   3. runs `wrk -t2 -c64 -d60s --latency --timeout 30s` against taskList?length=100 of the
#      stage with the most tasks (offset 0, offset in the middle, sortBy=-runtime) and against
#      `stages`, sampling the server's VmRSS every RSS_EVERY seconds; each URL's first (cold)
#      answer time is taken with curl before its run;
#   4. prints a summary table, with the share of the machine other processes took during each
#      run (the load average would count the server's own threads). Errors = non-2xx answers +
#      socket errors (connect, read, write, timeout). wrk leaves an answer slower than its
#      timeout out of the latency percentiles and counts it as an error; with its default 2 s a
#      slow tail would vanish from p99, so the timeout is raised to 30 s and slow answers show in
#      the percentiles.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/sparkmedic-bench}
build=${BUILD_DIR:-build-bench}
port=${PORT:-18099}
duration=${DURATION:-60s}
conns=${CONNECTIONS:-64}
wrk_threads=${WRK_THREADS:-2}
wrk_timeout=${WRK_TIMEOUT:-30s}
serve_threads=${SERVE_THREADS:-2}
rss_every=${RSS_EVERY:-5}
accept=${ACCEPT_ENCODING:-}
hdr=()
[[ -n $accept ]] && hdr=(-H "Accept-Encoding: $accept")
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$build" sparkmedic sparkmedic-gen >/dev/null
sm=$build/src/frontends/cli/sparkmedic
gen=$build/tools/gen_eventlog/sparkmedic-gen

mkdir -p "$dir"
plain=$dir/app-bench
[[ -f $plain ]] || $gen --scenario bench --seed 1 -o "$plain" --manifest "$dir/manifest.json"
logs=$dir/serve-logs
mkdir -p "$logs"
ln -sfn "$(realpath "$plain")" "$logs/app-bench"
size=$(stat -L -c %s "$plain")
cat "$plain" > /dev/null  # page cache, as every other figure in docs/performance.md

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "log: $plain, $size bytes"
echo "load average before start: $(cut -d' ' -f1-3 /proc/loadavg)"

base=http://127.0.0.1:$port/api/v1
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
code() { curl -s -o "${2:-/dev/null}" -w '%{http_code}' "$1" || true; }

t0=$(now)
"$sm" serve --event-logs "$logs" --listen "127.0.0.1:$port" --threads "$serve_threads" \
  2> "$dir/serve.log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
hz=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
server_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$pid/status"; }

until [[ $(code "$base/applications") == 200 ]]; do
  kill -0 "$pid" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
  sleep 0.05
done
t_list=$(now)
app=$(curl -s "$base/applications" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
rss_list=$(rss_kb)
[[ $(code "$base/applications/$app/stages" "$dir/stages.json") == 200 ]] || {
  echo "stages failed" >&2; exit 1; }
t_first=$(now)
rss_loaded=$(rss_kb)
hwm_loaded=$(hwm_kb)
startup=$(secs "$t0" "$t_list")
first=$(secs "$t0" "$t_first")
loadonly=$(secs "$t_list" "$t_first")
mbps() { awk -v b="$size" -v s="$1" 'BEGIN{printf "%.0f", b/1e6/s}'; }

# The stage attempt with the most tasks (ties: the lowest stage id).
read -r sid said ntasks < <(python3 - "$dir/stages.json" <<'EOF'
import json, sys
st = json.load(open(sys.argv[1]))
def n(s):
    return sum(s[k] for k in ("numActiveTasks", "numCompleteTasks", "numFailedTasks",
                              "numKilledTasks"))
best = min(st, key=lambda s: (-n(s), s["stageId"], s["attemptId"]))
print(best["stageId"], best["attemptId"], n(best))
EOF
)
mid=$(( ntasks / 2 / 100 * 100 ))

echo
echo "== time to first answer (app $app)"
echo "   start-up listing read: $startup s ($(mbps "$startup") MB/s), RSS $((rss_list / 1024)) MiB"
echo "   first \`stages\` answer: $first s from process start ($(mbps "$first") MB/s overall);" \
     "the load itself $loadonly s ($(mbps "$loadonly") MB/s)"
echo "   RSS after the load $((rss_loaded / 1024)) MiB, peak $((hwm_loaded / 1024)) MiB"
echo "   largest stage: $sid.$said with $ntasks task attempts"

app_base=$base/applications/$app
names=("taskList, offset 0" "taskList, offset $mid" "taskList, sortBy=-runtime" "stages")
urls=("$app_base/stages/$sid/$said/taskList?length=100"
      "$app_base/stages/$sid/$said/taskList?length=100&offset=$mid"
      "$app_base/stages/$sid/$said/taskList?length=100&sortBy=-runtime"
      "$app_base/stages")
rows=()
for i in "${!urls[@]}"; do
  url=${urls[$i]}
  cold=$(curl -s "${hdr[@]}" -o /dev/null -w '%{time_total} %{size_download}' "$url")
  echo
  echo "== ${names[$i]}: $url"
  echo "   first answer ${cold% *} s, ${cold#* } bytes"
  samples="$dir/rss.$i"
  : > "$samples"
  ( while kill -0 "$pid" 2>/dev/null; do rss_kb >> "$samples"; sleep "$rss_every"; done ) &
  sampler=$!
  b0=$(busy_ticks); s0=$(server_ticks); w0=$(now)
  out=$(/usr/bin/time -f 'wrk-cpu %U %S' \
          wrk -t"$wrk_threads" -c"$conns" -d"$duration" --timeout "$wrk_timeout" --latency \
              "${hdr[@]}" "$url" 2>&1)
  b1=$(busy_ticks); s1=$(server_ticks); w1=$(now)
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "$out" | grep -v '^wrk-cpu' | sed 's/^/   /'
  # CPU the rest of the machine used meanwhile, as a share of all cores.
  others=$(echo "$out" | awk -v b="$((b1 - b0))" -v s="$((s1 - s0))" -v hz="$hz" -v n="$(nproc)" \
             -v t="$(secs "$w0" "$w1")" '/^wrk-cpu/ {o = (b - s) / hz - $2 - $3;
             if (o < 0) o = 0; printf "%.0f%%", 100 * o / (t * n)}')
  echo "   other processes: $others of the machine's CPU during the run"
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk -F': ' '/Non-2xx/ {print $2}')
  sock=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
  errs=$(( ${non2xx:-0} + ${sock:-0} ))
  rss=$(awk '{printf "%s%d", sep, $1/1024; sep=" "}' "$samples")
  echo "   RSS samples (MiB, every ${rss_every} s): $rss"
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s |' "${names[$i]}" "$rps" "$p50" "$p99" \
                   "$errs" "$(awk 'NR==1 {a=$1} {b=$1} END {printf "%d → %d", a/1024, b/1024}' \
                                  "$samples")" "$others")")
done

echo
echo "== summary ($conns connections, $wrk_threads wrk threads, $duration per URL, timeout" \
     "$wrk_timeout, Accept-Encoding: ${accept:-none})"
echo "| time to first answer | ${first} s (${startup} s start-up listing + ${loadonly} s load) |"
echo "| MB/s of event log | $(mbps "$first") overall, $(mbps "$loadonly") for the load alone |"
echo
echo "| URL | requests/s | p50 | p99 | errors | RSS first → last (MiB) | other processes' CPU |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
