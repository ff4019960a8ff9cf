// Model-build benchmarks on a real-sized event log.
//
//   BM_Load/threads:N   load SPARKMEDIC_BENCH_LOG (a file or a rolling directory) with N
//                       parser threads; reports decoded bytes/s, tasks and the heap bytes the
//                       finished model keeps per task attempt (everything: tasks, stages,
//                       strings, failures).
//
// The log is made by bench/run.sh (sparkmedic-gen --scenario bench). Each run checks its
// answer: the number of task attempts must equal SPARKMEDIC_BENCH_EXPECT_TASKS when set.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include "sparkmedic/loader.h"

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Heap bytes in use (glibc's allocator statistics): what the model retains once loading is
// over and every read buffer is freed. RSS deltas would mislead: a second iteration reuses the
// pages the first one freed.
int64_t HeapInUse() {
  struct mallinfo2 mi = ::mallinfo2();
  return static_cast<int64_t>(mi.uordblks + mi.hblkhd);
}

void BM_Load(benchmark::State& state) {
  const std::string path = Env("SPARKMEDIC_BENCH_LOG");
  if (path.empty()) {
    state.SkipWithError("set SPARKMEDIC_BENCH_LOG to a log made by bench/run.sh");
    return;
  }
  auto found = sparkmedic::DiscoverLogs(path);
  if (!found.ok() || found->size() != 1) {
    state.SkipWithError("SPARKMEDIC_BENCH_LOG must name exactly one log");
    return;
  }
  const int64_t expect = Env("SPARKMEDIC_BENCH_EXPECT_TASKS").empty()
                             ? -1
                             : std::stoll(Env("SPARKMEDIC_BENCH_EXPECT_TASKS"));
  sparkmedic::LoadOptions opts;
  opts.threads = static_cast<int>(state.range(0));
  uint64_t decoded = 0;
  size_t tasks = 0;
  double per_task = 0;
  for (auto _ : state) {
    int64_t before = HeapInUse();
    sparkmedic::ReadStats stats;
    auto app = sparkmedic::LoadApplication((*found)[0], opts, nullptr, &stats);
    if (!app.ok()) {
      state.SkipWithError(app.status().ToString().c_str());
      return;
    }
    int64_t after = HeapInUse();
    decoded += stats.decompressed_bytes;
    tasks = app->tasks.size();
    per_task = tasks ? static_cast<double>(after - before) / static_cast<double>(tasks) : 0;
    if (expect >= 0 && static_cast<int64_t>(tasks) != expect) {
      state.SkipWithError("wrong number of task attempts: the benchmark's answer is wrong");
      return;
    }
    benchmark::DoNotOptimize(app->tasks.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(decoded));
  state.counters["tasks"] = static_cast<double>(tasks);
  state.counters["model_bytes_per_task"] = per_task;
}
BENCHMARK(BM_Load)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
#ifndef NDEBUG
  std::fprintf(stderr, "WARNING: benchmarks built with assertions on; figures are not real.\n");
#endif
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
