// Executor-log scanner benchmarks (docs/executor-logs.md "Speed").
//
//   BM_ScanExecutorLogs/prefilter:1  ScanExecutorLogs over a directory of 8 executor logs,
//                                    ~200 MB of plain text in all, as sparkmedic
//                                    diagnose --executor-logs reads them; reports bytes/s.
//   BM_ScanExecutorLogs/prefilter:0  the same with every line passed to MatchLogLine.
//   BM_ScanExecutorLogsGzip          the same logs gzip-compressed (level 6).
//
// The logs are generated once into a temp directory ($TMPDIR or /tmp; removed at exit): Spark
// 3.5 executor INFO lines as on Kubernetes, with stack traces of heap exhaustion, shuffle fetch
// failures and a missing class every few hundred tasks (about 3% of the lines). Every run
// checks its answer against the counts the generator knows: lines, lines of the jvm-oom,
// fetch-failed-exception and class-not-found rules, TIDs, executors.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include "sparkmedic/classify.h"
#include "sparkmedic/executor_logs.h"

namespace {

constexpr int kExecutors = 8;
constexpr size_t kBytesPerExecutor = size_t{25} << 20;

struct Expected {
  uint64_t lines = 0, oom = 0, fetch = 0, cnf = 0, tids = 0;
};

// Appends one executor's log until it is `bytes` long; counts what it wrote into *e.
class LogWriter {
 public:
  LogWriter(int executor, Expected* e) : exec_(executor), e_(e) {}

  std::string Write(size_t bytes) {
    Line(
        fmt::format("+ exec /usr/bin/tini -s -- /opt/java/openjdk/bin/java -Xmx8g -cp "
                    "'/opt/spark/conf::/opt/spark/jars/*:' "
                    "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend "
                    "--driver-url spark://CoarseGrainedScheduler@etl-driver-svc:7078 "
                    "--executor-id {0} --cores 4 --app-id spark-4f2e1d --hostname 10.244.{0}.7 "
                    "--resourceProfileId 0 --podName etl-7f3a2b8e9c1d2e3f-exec-{0}",
                    exec_));
    Info("Executor", fmt::format("Starting executor ID {} on host 10.244.{}.7", exec_, exec_));
    while (out_.size() < bytes) Task();
    return std::move(out_);
  }

 private:
  void Line(const std::string& l) {
    out_ += l;
    out_ += '\n';
    ++e_->lines;
  }
  std::string Stamp() {
    ++clock_;
    return fmt::format("24/06/01 {:02}:{:02}:{:02}", 10 + clock_ / 3600 % 12, clock_ / 60 % 60,
                       clock_ % 60);
  }
  void Info(const char* logger, const std::string& msg) {
    Line(fmt::format("{} INFO {}: {}", Stamp(), logger, msg));
  }

  void Task() {
    int64_t tid = int64_t{exec_} * 10'000'000 + n_;
    int stage = static_cast<int>(n_ / 200), index = static_cast<int>(n_ % 200);
    std::string task = fmt::format("task {}.0 in stage {}.0 (TID {})", index, stage, tid);
    ++e_->tids;
    Info("CoarseGrainedExecutorBackend", fmt::format("Got assigned task {}", tid));
    Info("Executor", "Running " + task);
    if (n_ % 2 == 0) Broadcast(static_cast<int>(n_ % 97));
    if (n_ % 3 == 0)
      Info("CodeGenerator", fmt::format("Code generated in {}.{} ms", n_ % 40, n_ % 997));
    if (n_ % 2 == 0) {
      Info("FileScanRDD",
           fmt::format("Reading File path: s3a://lake/events/dt=2024-06-01/part-{:05}-1c2d3e4f-"
                       "5a6b-7c8d-9e0f-112233445566.c000.snappy.parquet, range: 0-134217728, "
                       "partition values: [empty row]",
                       n_ % 1000));
    } else {
      Shuffle();
    }
    if (n_ % 20 == 7) {
      Info("UnsafeExternalSorter",
           "Thread 73 spilling sort data of 1024.0 MiB to disk (0  time "
           "so far)");
    }
    if (n_ % 5 == 1) Info("PythonRunner", "Times: total = 45, boot = 3, init = 40, finish = 2");
    if (n_ % 509 == 100) {
      OomTrace(task);
    } else if (n_ % 701 == 300) {
      FetchTrace(task);
    } else if (n_ % 1499 == 800) {
      CnfTrace(task);
    } else {
      Info("Executor", "Finished " + task + ". 2544 bytes result sent to driver");
    }
    ++n_;
  }

  void Broadcast(int b) {
    Info("TorrentBroadcast", fmt::format("Started reading broadcast variable {} with 1 pieces "
                                         "(estimated total size 4.0 MiB)",
                                         b));
    Info("TorrentBroadcast", fmt::format("Reading broadcast variable {} took {} ms", b, b % 30));
    Info("MemoryStore", fmt::format("Block broadcast_{}_piece0 stored as bytes in memory "
                                    "(estimated size 7.2 KiB, free 2.1 GiB)",
                                    b));
    Info("MemoryStore", fmt::format("Block broadcast_{} stored as values in memory (estimated "
                                    "size 14.5 KiB, free 2.1 GiB)",
                                    b));
  }

  void Shuffle() {
    Info("MapOutputTrackerWorker", "Don't have map outputs for shuffle 3, fetching them");
    Info("ShuffleBlockFetcherIterator",
         "Getting 200 (12.3 MiB) non-empty blocks including 40 (2.1 MiB) local and 0 (0.0 B) "
         "host-local and 0 (0.0 B) push-merged-local and 160 (10.2 MiB) remote blocks");
    Info("ShuffleBlockFetcherIterator", fmt::format("Started 3 remote fetches in {} ms", n_ % 9));
  }

  void Frames(int n) {
    static const char* const kFrames[] = {
        "\tat org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegen"
        "Stage2.processNext(Unknown Source)",
        "\tat org.apache.spark.sql.execution.BufferedRowIterator.hasNext("
        "BufferedRowIterator.java:43)",
        "\tat org.apache.spark.sql.execution.WholeStageCodegenEvaluatorFactory$"
        "WholeStageCodegenPartitionEvaluator$$anon$1.hasNext(WholeStageCodegenEvaluatorFactory."
        "scala:43)",
        "\tat scala.collection.Iterator$$anon$10.hasNext(Iterator.scala:460)",
        "\tat org.apache.spark.shuffle.sort.BypassMergeSortShuffleWriter.write("
        "BypassMergeSortShuffleWriter.java:140)",
        "\tat org.apache.spark.scheduler.ShuffleMapTask.runTask(ShuffleMapTask.scala:104)",
        "\tat org.apache.spark.scheduler.Task.run(Task.scala:141)",
        "\tat org.apache.spark.executor.Executor$TaskRunner.$anonfun$run$3(Executor.scala:620)",
        "\tat org.apache.spark.util.Utils$.tryWithSafeFinally(Utils.scala:1529)",
        "\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:623)",
        "\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker("
        "ThreadPoolExecutor.java:1136)",
        "\tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run("
        "ThreadPoolExecutor.java:635)",
        "\tat java.base/java.lang.Thread.run(Thread.java:840)",
    };
    for (int i = 0; i < n; ++i) Line(kFrames[i % 13]);
  }

  void OomTrace(const std::string& task) {
    Line(Stamp() + " ERROR Executor: Exception in " + task);
    Line("java.lang.OutOfMemoryError: Java heap space");
    ++e_->oom;
    Line("\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)");
    Frames(13);
  }

  void FetchTrace(const std::string& task) {
    Line(Stamp() +
         " WARN TransportChannelHandler: Exception in connection from "
         "/10.244.5.9:7337");
    Line("java.io.IOException: Connection reset by peer");
    Line("\tat java.base/sun.nio.ch.SocketDispatcher.read0(Native Method)");
    Line(
        "\tat io.netty.channel.nio.AbstractNioByteChannel$NioByteUnsafe.read("
        "AbstractNioByteChannel.java:163)");
    Line("\tat io.netty.channel.nio.NioEventLoop.processSelectedKey(NioEventLoop.java:788)");
    Line(Stamp() + " ERROR Executor: Exception in " + task);
    Line("org.apache.spark.shuffle.FetchFailedException: Failed to connect to /10.244.5.9:7337");
    ++e_->fetch;
    Line(
        "\tat org.apache.spark.errors.SparkCoreErrors$.fetchFailedError("
        "SparkCoreErrors.scala:437)");
    Line(
        "\tat org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
        "ShuffleBlockFetcherIterator.scala:1239)");
    Frames(10);
    Line("Caused by: java.io.IOException: Failed to connect to /10.244.5.9:7337");
    Line(
        "\tat org.apache.spark.network.client.TransportClientFactory.createClient("
        "TransportClientFactory.java:294)");
    Line(
        "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection "
        "refused: /10.244.5.9:7337");
    Line("\t... 1 more");
  }

  void CnfTrace(const std::string& task) {
    Line(Stamp() + " ERROR Executor: Exception in " + task);
    Line("java.lang.NoClassDefFoundError: com/example/udf/GeoHash");
    Line("\tat com.example.jobs.Enrich$.$anonfun$run$1(Enrich.scala:42)");
    Frames(6);
    Line("Caused by: java.lang.ClassNotFoundException: com.example.udf.GeoHash");
    Line(
        "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass("
        "BuiltinClassLoader.java:641)");
    Line("\t... 12 more");
    e_->cnf += 2;
  }

  int exec_;
  Expected* e_;
  std::string out_;
  int64_t n_ = 0;
  int64_t clock_ = 0;
};

// The generated logs, made on first use and removed at exit.
struct Corpus {
  std::filesystem::path plain, gzip;
  Expected expected;
  uint64_t plain_bytes = 0;

  Corpus() {
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::path base = tmp && *tmp ? tmp : "/tmp";
    base /= fmt::format("sparkmedic-bench-exlogs-{}", ::getpid());
    plain = base / "plain";
    gzip = base / "gzip";
    std::filesystem::create_directories(plain);
    std::filesystem::create_directories(gzip);
    for (int e = 1; e <= kExecutors; ++e) {
      std::string text = LogWriter(e, &expected).Write(kBytesPerExecutor);
      plain_bytes += text.size();
      std::string name = fmt::format("etl-7f3a2b8e9c1d2e3f-exec-{}.log", e);
      if (std::FILE* f = std::fopen((plain / name).c_str(), "wb")) {
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
      }
      if (gzFile g = gzopen((gzip / (name + ".gz")).c_str(), "wb6")) {
        gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
        gzclose(g);
      }
    }
  }
  ~Corpus() {
    std::error_code ec;
    std::filesystem::remove_all(plain.parent_path(), ec);
  }
};

const Corpus& TheCorpus() {
  static Corpus corpus;
  return corpus;
}

uint64_t RuleLines(const sparkmedic::ExecutorLogReport& r, std::string_view id) {
  for (const sparkmedic::RuleHits& h : r.rules) {
    if (h.rule == id) return h.lines;
  }
  return 0;
}

// Empty when `r` is what the generator wrote, else what differs.
std::string CheckAnswer(const sparkmedic::ExecutorLogReport& r, const Expected& e) {
  std::string bad;
  auto check = [&](const char* what, uint64_t got, uint64_t want) {
    if (got != want) bad += fmt::format("{}: {} (want {}) ", what, got, want);
  };
  check("lines", r.lines, e.lines);
  check("jvm-oom", RuleLines(r, "jvm-oom"), e.oom);
  check("fetch-failed-exception", RuleLines(r, "fetch-failed-exception"), e.fetch);
  check("class-not-found", RuleLines(r, "class-not-found"), e.cnf);
  check("tids", r.tasks.size(), e.tids);
  check("executors", r.executors.size(), kExecutors);
  return bad;
}

void Scan(benchmark::State& state, const std::filesystem::path& dir, bool prefilter) {
#ifndef NDEBUG
  state.SetLabel("WARNING: built with assertions (not Release): numbers are not meaningful");
#endif
  const Corpus& corpus = TheCorpus();
  std::unique_ptr<sparkmedic::Classifier> classifier = sparkmedic::Classifier::Create();
  sparkmedic::ExecutorLogOptions options;
  options.prefilter = prefilter;
  uint64_t bytes = 0, checked = 0, lines = 0;
  for (auto _ : state) {
    auto r = sparkmedic::ScanExecutorLogs(dir.string(), *classifier, options);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    if (std::string bad = CheckAnswer(*r, corpus.expected); !bad.empty()) {
      state.SkipWithError(("wrong answer: " + bad).c_str());
      return;
    }
    bytes += r->bytes;
    checked = r->lines_checked;
    lines = r->lines;
    benchmark::DoNotOptimize(r->rules.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["MB"] = static_cast<double>(corpus.plain_bytes) / 1e6;
  state.counters["lines"] = static_cast<double>(lines);
  state.counters["checked_share"] = lines ? static_cast<double>(checked) / lines : 0;
}

void BM_ScanExecutorLogs(benchmark::State& state) {
  Scan(state, TheCorpus().plain, state.range(0) != 0);
}
BENCHMARK(BM_ScanExecutorLogs)
    ->Arg(1)
    ->Arg(0)
    ->ArgName("prefilter")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

void BM_ScanExecutorLogsGzip(benchmark::State& state) { Scan(state, TheCorpus().gzip, true); }
BENCHMARK(BM_ScanExecutorLogsGzip)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
