// Executor-log scanner: synthetic executor logs as Spark 3.5 executors print them on
// Kubernetes (log4j2 "%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex", and an ISO pattern with the
// thread), plain and gzip, one executor per file, a `kubectl logs --prefix` file, garbage.
// Every expected count below is derived by hand from the lines written here; the comment on
// each line of a log says which log rules match it and why.
#include "sparkmedic/executor_logs.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "sparkmedic/classify.h"

#include "analysis/executor_logs/attribution.h"
#include "analysis/executor_logs/line_text.h"
#include "analysis/executor_logs/task_mentions.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

using ::sparkmedic::testing::ScratchDir;
using ::sparkmedic::testing::WriteFileOrDie;

const Classifier& TheClassifier() {
  static const std::unique_ptr<Classifier> c = Classifier::Create();
  return *c;
}

void WriteGzip(const std::filesystem::path& path, const std::string& data) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  ASSERT_EQ(gzwrite(f, data.data(), static_cast<unsigned>(data.size())),
            static_cast<int>(data.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// ---- The executors' logs -------------------------------------------------------------------

// Executor 1: a task dies of heap exhaustion, then the executor. The launch command (K8s
// entrypoint.sh echoes it) and "Starting executor ID" name the executor.
std::string Exec1Log() {
  return Join({
      // 1: --executor-id 1, --podName. No rule.
      "+ exec /usr/bin/tini -s -- /opt/java/openjdk/bin/java -Dspark.driver.port=7078 -Xms4g "
      "-Xmx4g -cp '/opt/spark/conf::/opt/spark/jars/*:' "
      "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend --driver-url "
      "spark://CoarseGrainedScheduler@spark-pi-driver-svc.default.svc:7078 --executor-id 1 "
      "--cores 4 --app-id spark-0a1b2c3d4e5f --hostname 10.244.1.7 --resourceProfileId 0 "
      "--podName spark-pi-1a2b3c4d5e6f7a8b-exec-1",
      "24/06/01 10:00:01 INFO Executor: Starting executor ID 1 on host 10.244.1.7",  // 2
      "24/06/01 10:00:02 INFO CoarseGrainedExecutorBackend: Got assigned task 17",   // 3: TID 17
      "24/06/01 10:00:02 INFO Executor: Running task 3.0 in stage 2.0 (TID 17)",     // 4
      "24/06/01 10:00:02 INFO TorrentBroadcast: Reading broadcast variable 4 took 12 ms",  // 5
      "24/06/01 10:00:03 INFO MemoryStore: Block broadcast_4 stored as values in memory "
      "(estimated size 14.5 KiB, free 2.1 GiB)",  // 6
      // 7: exception, error. No rule ("Exception in task" names no cause).
      "24/06/01 10:00:09 ERROR Executor: Exception in task 3.0 in stage 2.0 (TID 17)",
      "java.lang.OutOfMemoryError: Java heap space",               // 8: jvm-oom, oom-text; error
      "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)",  // 9
      "\tat org.apache.spark.sql.catalyst.expressions.UnsafeRow.copy(UnsafeRow.java:510)",  // 10
      "\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:620)",         // 11
      "\tat java.base/java.lang.Thread.run(Thread.java:840)",                               // 12
      // 13: exception, error; TID 17 in the thread name.
      "24/06/01 10:00:09 ERROR SparkUncaughtExceptionHandler: Uncaught exception in thread "
      "Thread[Executor task launch worker for task 3.0 in stage 2.0 (TID 17),5,main]",
      "java.lang.OutOfMemoryError: Java heap space",              // 14: jvm-oom, oom-text; error
      "24/06/01 10:00:09 INFO MemoryStore: MemoryStore cleared",  // 15
      "24/06/01 10:00:09 ERROR CoarseGrainedExecutorBackend: RECEIVED SIGNAL TERM",  // 16: error
  });
}

// Executor 2 (gzip, named only by its file: the head of the log was cut off as by
// `kubectl logs --tail`): three tasks fail to fetch shuffle blocks from a dead peer, 15 lines
// each, then a cancelled task.
std::string Exec2Log() {
  std::vector<std::string> lines;
  for (int t = 0; t < 3; ++t) {
    std::string tid = std::to_string(21 + 2 * t), index = std::to_string(t);
    std::vector<std::string> block = {
        // +1: TID 21/23/25
        "24/06/01 10:01:0" + std::to_string(t) + " INFO Executor: Running task " + index +
            ".0 in stage 3.0 (TID " + tid + ")",
        // +2: shuffle
        "24/06/01 10:01:00 INFO ShuffleBlockFetcherIterator: Getting 200 (12.3 MiB) non-empty "
        "blocks including 40 (2.1 MiB) local and 0 (0.0 B) host-local and 0 (0.0 B) "
        "push-merged-local and 160 (10.2 MiB) remote blocks",
        // +3: exception, connection. No rule.
        "24/06/01 10:01:02 WARN TransportChannelHandler: Exception in connection from "
        "/10.244.2.9:7337",
        // +4: network-message ("connection reset"); exception, connection
        "java.io.IOException: Connection reset by peer",
        "\tat java.base/sun.nio.ch.SocketDispatcher.read0(Native Method)",      // +5
        "\tat io.netty.buffer.PooledByteBuf.setBytes(PooledByteBuf.java:258)",  // +6
        // +7: exception, error. No rule.
        "24/06/01 10:01:02 ERROR RetryingBlockTransferor: Exception while beginning fetch of 12 "
        "outstanding blocks",
        // +8: network-message ("failed to connect to "); exception
        "java.io.IOException: Failed to connect to /10.244.2.9:7337",
        // +9: network-exception (io.netty.channel.AbstractChannel$AnnotatedConnectException),
        // network-message ("connection refused"); exception, connection
        "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection "
        "refused: /10.244.2.9:7337",
        // +10: exception, error
        "24/06/01 10:01:03 ERROR Executor: Exception in task " + index + ".0 in stage 3.0 (TID " +
            tid + ")",
        // +11: fetch-failed-exception, network-message, shuffle-text; exception, shuffle
        "org.apache.spark.shuffle.FetchFailedException: Failed to connect to /10.244.2.9:7337",
        // +12: error ("Errors"). "fetchFailed" is not "FetchFailed": no rule.
        "\tat org.apache.spark.errors.SparkCoreErrors$.fetchFailedError("
        "SparkCoreErrors.scala:437)",
        // +13: shuffle-text ("FetchFailed"); exception, shuffle
        "\tat org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
        "ShuffleBlockFetcherIterator.scala:1239)",
        // +14: network-message; exception
        "Caused by: java.io.IOException: Failed to connect to /10.244.2.9:7337",
        "\t... 25 more",  // +15
    };
    lines.insert(lines.end(), block.begin(), block.end());
  }
  // 46: stage-cancelled-text ("Stage cancelled"); TID 22 killed
  lines.push_back(
      "24/06/01 10:01:04 INFO Executor: Executor killed task 1.0 in stage 3.0 (TID 22), reason: "
      "Stage cancelled");
  return Join(lines);
}

// Executor 3 (exec-3/stderr), an ISO log4j pattern with the thread: a UDF's class is missing,
// a local dir cannot be created.
std::string Exec3Log() {
  return Join({
      "2024-06-01 10:02:00,001 INFO [main] executor.Executor: Starting executor ID 3 on host "
      "10.244.3.4",  // 1
      "2024-06-01 10:02:01,002 INFO [dispatcher-Executor] "
      "executor.CoarseGrainedExecutorBackend: Got assigned task 31",  // 2: TID 31
      "2024-06-01 10:02:01,010 INFO [Executor task launch worker for task 5.0 in stage 4.0 (TID "
      "31)] executor.Executor: Running task 5.0 in stage 4.0 (TID 31)",  // 3
      // 4: exception, error
      "2024-06-01 10:02:02,500 ERROR [Executor task launch worker for task 5.0 in stage 4.0 (TID "
      "31)] executor.Executor: Exception in task 5.0 in stage 4.0 (TID 31)",
      "java.lang.NoClassDefFoundError: com/example/udf/GeoHash",        // 5: class-not-found; error
      "\tat com.example.jobs.Enrich$.$anonfun$run$1(Enrich.scala:42)",  // 6
      // 7: class-not-found; exception, classnotfound
      "Caused by: java.lang.ClassNotFoundException: com.example.udf.GeoHash",
      "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass("
      "BuiltinClassLoader.java:641)",  // 8
      "\t... 12 more",                 // 9
      // 10: local-dir-failed ("Failed to create local dir"); error
      "2024-06-01 10:02:03,000 ERROR [shuffle-client-4-1] storage.DiskBlockManager: Failed to "
      "create local dir in /var/data/spark-1c2d3e4f/blockmgr-0a1b2c3d-4e5f-6a7b-8c9d-"
      "0e1f2a3b4c5d. Ignoring this directory.",
  });
}

// A log nothing names (a copy of some pod's log): a disk filled up. CRLF line ends.
std::string UnknownLog() {
  return "24/06/01 10:03:00 INFO Executor: Running task 7.0 in stage 5.0 (TID 40)\r\n"        // 1
         "24/06/01 10:03:01 ERROR Executor: Exception in task 7.0 in stage 5.0 (TID 40)\r\n"  // 2
         // 3: no-space-left; exception
         "java.io.IOException: No space left on device\r\n"
         "\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)\r\n";  // 4
}

// ---- Attribution, normalisation, task mentions (the pieces) ---------------------------------

TEST(ExecutorLogNames, PodFileAndDirectoryNames) {
  using exlogs::ExecutorFromDirName;
  using exlogs::ExecutorFromFileName;
  using exlogs::ExecutorFromPodName;
  EXPECT_EQ(ExecutorFromPodName("spark-pi-7f3a2b8e9c1d2e3f-exec-12"), "12");
  EXPECT_EQ(ExecutorFromPodName("etl-exec-exec-3"), "3");  // the last one
  EXPECT_EQ(ExecutorFromPodName("spark-pi-driver"), "driver");
  EXPECT_EQ(ExecutorFromPodName("myexec-3"), "");  // "exec" inside a word
  EXPECT_EQ(ExecutorFromPodName("exec-3x"), "");   // not followed by a word end
  EXPECT_EQ(ExecutorFromFileName("spark-pi-7f3a-exec-12.log"), "12");
  EXPECT_EQ(ExecutorFromFileName("executor-3.log.gz"), "3");
  EXPECT_EQ(ExecutorFromFileName("Executor_4.txt"), "4");
  EXPECT_EQ(ExecutorFromFileName("exec7"), "7");
  EXPECT_EQ(ExecutorFromFileName("5.log"), "5");
  EXPECT_EQ(ExecutorFromFileName("5.log.gz"), "5");
  EXPECT_EQ(ExecutorFromFileName("stderr"), "");
  EXPECT_EQ(ExecutorFromFileName("app-2024.log"), "");
  EXPECT_EQ(ExecutorFromDirName("3"), "3");  // standalone work/<app>/3/stderr
  EXPECT_EQ(ExecutorFromDirName("exec-9"), "9");
  EXPECT_EQ(ExecutorFromDirName("logs"), "");
}

TEST(ExecutorLogNames, LinesThatStateTheExecutor) {
  std::string pod;
  EXPECT_EQ(exlogs::ExecutorFromLine(
                "24/06/01 10:00:01 INFO Executor: Starting executor ID 12 on host 10.0.0.5", &pod),
            "12");
  EXPECT_EQ(exlogs::ExecutorFromLine("INFO Executor: Starting executor ID driver on host x", &pod),
            "driver");
  EXPECT_EQ(exlogs::ExecutorFromLine("... --executor-id 7 --cores 4 --podName app-exec-7", &pod),
            "7");
  EXPECT_EQ(pod, "app-exec-7");
  EXPECT_EQ(exlogs::ExecutorFromLine("INFO BlockManager: Initialized BlockManager: "
                                     "BlockManagerId(5, 10.0.0.5, 38211, None)",
                                     &pod),
            "5");
  // A peer's BlockManagerId in a fetch failure names another executor: not a statement.
  EXPECT_EQ(exlogs::ExecutorFromLine("FetchFailed(BlockManagerId(5, 10.0.0.5, 7337, None), "
                                     "shuffleId=1",
                                     &pod),
            "");
  std::string_view p, rest;
  ASSERT_TRUE(
      exlogs::SplitPodPrefix("[pod/app-exec-2/spark-kubernetes-executor] 24/06/01 x", &p, &rest));
  EXPECT_EQ(p, "app-exec-2");
  EXPECT_EQ(rest, "24/06/01 x");
  EXPECT_FALSE(exlogs::SplitPodPrefix("[Executor task launch worker] x", &p, &rest));
}

TEST(ExecutorLogNormalise, TheUniqCForms) {
  auto norm = [](std::string_view line) {
    std::string out;
    exlogs::NormaliseExceptionLine(line, kMaxEvidenceChars, &out);
    return out;
  };
  EXPECT_EQ(norm("24/06/01 10:00:09 ERROR Executor: Exception in task 3.0 in stage 2.0 (TID 17)"),
            "ERROR Executor: Exception in task <n>.<n> in stage <n>.<n> (TID <n>)");
  // kubectl --timestamps, then the Spark timestamp.
  EXPECT_EQ(norm("2024-06-01T10:00:09.123456789Z 24/06/01 10:00:09 WARN TransportChannelHandler: "
                 "Exception in connection from /10.244.2.9:7337"),
            "WARN TransportChannelHandler: Exception in connection from /<n>.<n>.<n>.<n>:<n>");
  // ISO timestamp, thread after the level.
  EXPECT_EQ(norm("2024-06-01 10:02:02,500 ERROR [Executor task launch worker for task 5.0 in "
                 "stage 4.0 (TID 31)] executor.Executor: Exception in task 5.0 in stage 4.0 (TID "
                 "31)"),
            "ERROR executor.Executor: Exception in task <n>.<n> in stage <n>.<n> (TID <n>)");
  // Thread before the level.
  EXPECT_EQ(norm("10:02:02.500 [shuffle-client-4-1] WARN TransportClient: Exception"),
            "WARN TransportClient: Exception");
  EXPECT_EQ(norm("\tat org.apache.spark.storage.ShuffleBlockFetcherIterator."
                 "throwFetchFailedException(ShuffleBlockFetcherIterator.scala:1239)"),
            "at org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
            "ShuffleBlockFetcherIterator.scala:<n>)");
  // Hex ids and UUIDs; identifiers with digits ("s3a", "ec2") stay.
  EXPECT_EQ(norm("java.io.FileNotFoundException: s3a://lake/part-00042-1c2d3e4f-5a6b-7c8d-9e0f-"
                 "112233445566.c000.snappy.parquet on ip-10-0-0-5.ec2.internal 0x7f3a2b"),
            "java.io.FileNotFoundException: s3a://lake/part-<n>-<hex>.c000.snappy.parquet on "
            "ip-<n>-<n>-<n>-<n>.ec2.internal <hex>");
  EXPECT_EQ(norm("Caused by: java.lang.RuntimeException: container_1717236000000_0001 deadbeef "
                 "7f3a2b8e9c1d2e3f"),
            "Caused by: java.lang.RuntimeException: container_<n>_<n> deadbeef <hex>");
  std::string long_line = "java.lang.IllegalStateException: " + std::string(1000, 'x');
  EXPECT_EQ(norm(long_line).size(), kMaxEvidenceChars);
}

TEST(ExecutorLogNormalise, EvidenceTextIsPrintableUtf8) {
  EXPECT_EQ(exlogs::EvidenceText(std::string("a\0b\x01\x7f\tc", 7), 300), "a?b??\tc");
  EXPECT_EQ(exlogs::EvidenceText("caf\xc3\xa9 \xff\xfe end", 300), "caf\xc3\xa9 ?? end");
  // Cut at a character boundary: the 2-byte é does not fit in 4 bytes after "caf".
  EXPECT_EQ(exlogs::EvidenceText("caf\xc3\xa9", 4), "caf");
  EXPECT_EQ(exlogs::EvidenceText("\xe2\x82", 300), "??");  // a cut 3-byte sequence
}

TEST(ExecutorLogTasks, MentionsInSparkWordings) {
  exlogs::TaskMention m[4];
  ASSERT_EQ(
      exlogs::FindTaskMentions(
          "24/06/01 10:00:09 ERROR Executor: Exception in task 3.1 in stage 2.0 (TID 17)", m, 4),
      1u);
  EXPECT_EQ(m[0].tid, 17);
  EXPECT_EQ(m[0].stage_id, 2);
  EXPECT_EQ(m[0].stage_attempt, 0);
  EXPECT_EQ(m[0].index, 3);
  EXPECT_EQ(m[0].attempt, 1);
  EXPECT_EQ(m[0].kind, exlogs::TaskMention::kException);
  ASSERT_EQ(exlogs::FindTaskMentions("INFO Executor: Executor interrupted and killed task 1.0 in "
                                     "stage 3.0 (TID 22), reason: Stage cancelled",
                                     m, 4),
            1u);
  EXPECT_EQ(m[0].kind, exlogs::TaskMention::kKilled);
  ASSERT_EQ(
      exlogs::FindTaskMentions("INFO CoarseGrainedExecutorBackend: Got assigned task 31", m, 4),
      1u);
  EXPECT_EQ(m[0].tid, 31);
  EXPECT_EQ(m[0].stage_id, -1);
  // Thread name and message: two mentions of one TID.
  EXPECT_EQ(exlogs::FindTaskMentions("ERROR [Executor task launch worker for task 5.0 in stage "
                                     "4.0 (TID 31)] Executor: Exception in task 5.0 in stage 4.0 "
                                     "(TID 31)",
                                     m, 4),
            2u);
  EXPECT_EQ(m[1].kind, exlogs::TaskMention::kException);
  EXPECT_EQ(exlogs::FindTaskMentions("(TID x) (TID 99999999999999999999) TID 5", m, 4), 0u);
}

// ---- Scanning ----------------------------------------------------------------------------

uint64_t Hits(const std::vector<RuleHits>& rules, std::string_view id) {
  for (const RuleHits& h : rules) {
    if (h.rule == id) return h.lines;
  }
  return 0;
}

const RuleHits* FindHits(const std::vector<RuleHits>& rules, std::string_view id) {
  for (const RuleHits& h : rules) {
    if (h.rule == id) return &h;
  }
  return nullptr;
}

uint64_t Grep(const RunbookCounts& c, RunbookWord w) { return c[static_cast<size_t>(w)]; }

ExecutorLogReport ScanOrDie(const std::filesystem::path& path, ExecutorLogOptions options = {}) {
  Result<ExecutorLogReport> r = ScanExecutorLogs(path.string(), TheClassifier(), options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : ExecutorLogReport{};
}

TEST(ExecutorLogScan, OneExecutorsPlainLog) {
  ScratchDir dir;
  WriteFileOrDie(dir / "driver-copy.txt", Exec1Log());  // the name says nothing
  ExecutorLogReport r = ScanOrDie(dir / "driver-copy.txt");
  ASSERT_EQ(r.sources.size(), 1u);
  const LogSourceStats& s = r.sources[0];
  EXPECT_EQ(s.executor, "1");
  EXPECT_EQ(s.attributed_by, AttributionSource::kContent);
  EXPECT_EQ(s.attribution.substr(0, 16), "content line 1: ");
  EXPECT_EQ(s.pod, "spark-pi-1a2b3c4d5e6f7a8b-exec-1");
  EXPECT_EQ(s.codec, Codec::kNone);
  EXPECT_EQ(s.lines, 16u);
  EXPECT_EQ(s.bytes, Exec1Log().size());
  EXPECT_EQ(r.bytes, Exec1Log().size());
  EXPECT_EQ(Hits(s.rules, "jvm-oom"), 2u);
  EXPECT_EQ(Hits(s.rules, "oom-text"), 2u);
  const RuleHits* oom = FindHits(r.rules, "jvm-oom");
  ASSERT_NE(oom, nullptr);
  EXPECT_EQ(oom->cls, FailureClass::kJvmOom);
  EXPECT_EQ(oom->first.line, 8u);
  EXPECT_EQ(oom->last.line, 14u);
  EXPECT_EQ(oom->first.text, "java.lang.OutOfMemoryError: Java heap space");
  EXPECT_EQ(oom->first.path, (dir / "driver-copy.txt").string());
  EXPECT_EQ(r.lines_matched, 2u);                        // lines 8 and 14
  EXPECT_EQ(Grep(s.grep, RunbookWord::kError), 5u);      // 7, 8, 13, 14, 16
  EXPECT_EQ(Grep(s.grep, RunbookWord::kException), 2u);  // 7, 13
  EXPECT_EQ(Grep(s.grep, RunbookWord::kOom), 0u);        // "OutOfMemory" has no "oom"
  EXPECT_EQ(s.exception_lines, 2u);
  ASSERT_EQ(r.tasks.size(), 1u);
  const TaskLogRef* t = r.FindTask(17);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(r.ExecutorOf(*t), "1");
  EXPECT_EQ(t->first_line, 3u);  // "Got assigned task 17"
  EXPECT_EQ(t->stage_id, 2);
  EXPECT_EQ(t->index, 3);
  EXPECT_EQ(t->attempt, 0);
  EXPECT_EQ(t->exception_line, 7u);
  EXPECT_EQ(t->killed_line, 0u);
  EXPECT_EQ(r.FindTask(18), nullptr);
}

// The directory of the examples: per-executor and total counts, attribution, gzip.
class ExecutorLogDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFileOrDie(dir_ / "spark-pi-1a2b3c4d5e6f7a8b-exec-1.log", Exec1Log());
    WriteGzip(dir_ / "executor-2.log.gz", Exec2Log());
    std::filesystem::create_directories(dir_ / "exec-3");
    WriteFileOrDie(dir_ / "exec-3" / "stderr", Exec3Log());
    WriteFileOrDie(dir_ / "exec-4.log", "");  // an executor that printed nothing yet
    WriteFileOrDie(dir_ / "copy.log", UnknownLog());
    WriteFileOrDie(dir_ / ".hidden.log", "java.lang.OutOfMemoryError: Java heap space\n");
  }
  ScratchDir dir_;
};

TEST_F(ExecutorLogDirTest, CountsPerRuleAndExecutor) {
  ExecutorLogReport r = ScanOrDie(dir_.path());
  ASSERT_EQ(r.files, 5u);  // .hidden.log skipped
  ASSERT_EQ(r.sources.size(), 5u);
  EXPECT_EQ(r.files_failed, 0u);
  std::vector<std::string> ids;
  for (const ExecutorLogStats& e : r.executors) ids.push_back(e.executor);
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "4", "unknown"}));

  const ExecutorLogStats* e1 = r.FindExecutor("1");
  ASSERT_NE(e1, nullptr);
  EXPECT_EQ(e1->lines, 16u);
  EXPECT_EQ(Hits(e1->rules, "jvm-oom"), 2u);
  EXPECT_EQ(Hits(e1->rules, "oom-text"), 2u);

  const ExecutorLogStats* e2 = r.FindExecutor("2");
  ASSERT_NE(e2, nullptr);
  EXPECT_EQ(e2->lines, 46u);
  EXPECT_EQ(Hits(e2->rules, "network-message"), 15u);        // lines +4, +8, +9, +11, +14, 3 times
  EXPECT_EQ(Hits(e2->rules, "network-exception"), 3u);       // +9
  EXPECT_EQ(Hits(e2->rules, "fetch-failed-exception"), 3u);  // +11
  EXPECT_EQ(Hits(e2->rules, "shuffle-text"), 6u);            // +11, +13
  EXPECT_EQ(Hits(e2->rules, "stage-cancelled-text"), 1u);    // 46
  EXPECT_EQ(Hits(e2->rules, "jvm-oom"), 0u);
  const RuleHits* fetch = FindHits(e2->rules, "fetch-failed-exception");
  ASSERT_NE(fetch, nullptr);
  EXPECT_EQ(fetch->first.line, 11u);
  EXPECT_EQ(fetch->last.line, 41u);
  EXPECT_EQ(fetch->cls, FailureClass::kShuffleFetch);
  // 9 exception lines per task: +3, +4, +7, +8, +9, +10, +11, +13, +14.
  EXPECT_EQ(Grep(e2->grep, RunbookWord::kException), 27u);
  EXPECT_EQ(Grep(e2->grep, RunbookWord::kConnection), 9u);  // +3, +4, +9
  EXPECT_EQ(Grep(e2->grep, RunbookWord::kShuffle), 9u);     // +2, +11, +13
  EXPECT_EQ(Grep(e2->grep, RunbookWord::kError), 9u);       // +7, +10, +12

  const ExecutorLogStats* e3 = r.FindExecutor("3");
  ASSERT_NE(e3, nullptr);
  EXPECT_EQ(Hits(e3->rules, "class-not-found"), 2u);           // 5, 7
  EXPECT_EQ(Hits(e3->rules, "local-dir-failed"), 1u);          // 10
  EXPECT_EQ(Grep(e3->grep, RunbookWord::kClassNotFound), 1u);  // 7

  const ExecutorLogStats* e4 = r.FindExecutor("4");
  ASSERT_NE(e4, nullptr);
  EXPECT_EQ(e4->lines, 0u);
  EXPECT_TRUE(e4->rules.empty());

  const ExecutorLogStats* unknown = r.FindExecutor("unknown");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->lines, 4u);
  EXPECT_EQ(Hits(unknown->rules, "no-space-left"), 1u);
  const RuleHits* disk = FindHits(unknown->rules, "no-space-left");
  ASSERT_NE(disk, nullptr);
  EXPECT_EQ(disk->first.text, "java.io.IOException: No space left on device");  // no "\r"

  // Totals over all executors.
  EXPECT_EQ(Hits(r.rules, "jvm-oom"), 2u);
  EXPECT_EQ(Hits(r.rules, "network-message"), 15u);
  EXPECT_EQ(Hits(r.rules, "class-not-found"), 2u);
  EXPECT_EQ(Hits(r.rules, "no-space-left"), 1u);
  EXPECT_EQ(r.lines, 16u + 46u + 10u + 0u + 4u);
  EXPECT_EQ(r.exception_lines, 2u + 27u + 2u + 2u);  // exec-3: 4, 7; copy.log: 2, 3
  EXPECT_EQ(Grep(r.grep, RunbookWord::kException), r.exception_lines);
}

TEST_F(ExecutorLogDirTest, Attribution) {
  ExecutorLogReport r = ScanOrDie(dir_.path());
  std::map<std::string, const LogSourceStats*> by_file;
  for (const LogSourceStats& s : r.sources) {
    by_file[std::filesystem::path(s.path).filename().string()] = &s;
  }
  ASSERT_EQ(by_file.size(), 5u);
  EXPECT_EQ(by_file["spark-pi-1a2b3c4d5e6f7a8b-exec-1.log"]->attributed_by,
            AttributionSource::kContent);
  EXPECT_EQ(by_file["executor-2.log.gz"]->attributed_by, AttributionSource::kFileName);
  EXPECT_EQ(by_file["executor-2.log.gz"]->codec, Codec::kGzip);
  EXPECT_EQ(by_file["executor-2.log.gz"]->attribution, "file name \"executor-2.log.gz\"");
  EXPECT_EQ(by_file["stderr"]->executor, "3");
  EXPECT_EQ(by_file["stderr"]->attributed_by, AttributionSource::kContent);  // beats the dir
  EXPECT_EQ(by_file["exec-4.log"]->executor, "4");
  EXPECT_EQ(by_file["copy.log"]->executor, "unknown");
  EXPECT_EQ(by_file["copy.log"]->attributed_by, AttributionSource::kNone);
}

TEST_F(ExecutorLogDirTest, ContentThatContradictsTheNameWinsAndIsNoted) {
  WriteFileOrDie(dir_ / "exec-9.log", Exec3Log());  // says "Starting executor ID 3"
  ExecutorLogReport r = ScanOrDie(dir_ / "exec-9.log");
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].executor, "3");
  EXPECT_NE(r.sources[0].attribution.find("; file-name says 9"), std::string::npos)
      << r.sources[0].attribution;
}

TEST_F(ExecutorLogDirTest, UniqCView) {
  ExecutorLogReport r = ScanOrDie(dir_.path());
  ASSERT_FALSE(r.exceptions.empty());
  // The most frequent: "Exception in task" in exec-1 (1), exec-2 (3) and copy.log (1).
  const ExceptionLineCount& top = r.exceptions[0];
  EXPECT_EQ(top.text, "ERROR Executor: Exception in task <n>.<n> in stage <n>.<n> (TID <n>)");
  EXPECT_EQ(top.count, 5u);
  // Files are read in path order: copy.log < exec-3/stderr < exec-4.log < executor-2.log.gz <
  // spark-pi-...-exec-1.log.
  EXPECT_EQ(top.first.path, (dir_ / "copy.log").string());
  EXPECT_EQ(top.first.line, 2u);
  EXPECT_EQ(top.first.text,
            "24/06/01 10:03:01 ERROR Executor: Exception in task 7.0 in stage "
            "5.0 (TID 40)");
  EXPECT_EQ(top.executors,
            (std::vector<std::pair<std::string, uint64_t>>{{"2", 3}, {"1", 1}, {"unknown", 1}}));
  std::map<std::string, uint64_t> counts;
  for (const ExceptionLineCount& e : r.exceptions) counts[e.text] = e.count;
  EXPECT_EQ(counts["java.io.IOException: Connection reset by peer"], 3u);
  EXPECT_EQ(counts["java.io.IOException: Failed to connect to /<n>.<n>.<n>.<n>:<n>"], 3u);
  EXPECT_EQ(counts["Caused by: java.io.IOException: Failed to connect to /<n>.<n>.<n>.<n>:<n>"],
            3u);
  EXPECT_EQ(counts["ERROR executor.Executor: Exception in task <n>.<n> in stage <n>.<n> (TID "
                   "<n>)"],
            1u);
  EXPECT_EQ(counts["Caused by: java.lang.ClassNotFoundException: com.example.udf.GeoHash"], 1u);
  // Distinct forms: exec-1 2 (lines 7, 13); exec-2 9 (the same in each block), "Exception in
  // task" shared with exec-1; exec-3 2 (its logger is "executor.Executor": another form);
  // copy.log 2, "Exception in task" shared.
  EXPECT_EQ(r.distinct_exceptions, 2u + (9u - 1u) + 2u + (2u - 1u));
  uint64_t total = 0;
  for (const ExceptionLineCount& e : r.exceptions) total += e.count;
  EXPECT_EQ(total, r.exception_lines);  // all forms fit in the top 20
  EXPECT_EQ(r.exceptions_not_grouped, 0u);
  // Sorted by count, then text.
  for (size_t i = 1; i < r.exceptions.size(); ++i) {
    const ExceptionLineCount &a = r.exceptions[i - 1], &b = r.exceptions[i];
    EXPECT_TRUE(a.count > b.count || (a.count == b.count && a.text < b.text)) << i;
  }
}

TEST_F(ExecutorLogDirTest, TopNAndDistinctCap) {
  ExecutorLogOptions o;
  o.top_exceptions = 2;
  o.max_distinct_exceptions = 3;
  ExecutorLogReport r = ScanOrDie(dir_.path(), o);
  ASSERT_EQ(r.exceptions.size(), 2u);
  EXPECT_EQ(r.distinct_exceptions, 3u);
  // The first three forms in path order: copy.log's two and exec-3's line 4. Of the 33
  // exception lines, those grouped: "Exception in task" 5 (copy.log, exec-1, exec-2 x3), the
  // disk line 1, exec-3's line 4 1; the other 26 are not.
  EXPECT_EQ(r.exceptions_not_grouped, 33u - 7u);
  EXPECT_EQ(r.exceptions[0].count, 5u);
  EXPECT_EQ(r.exceptions[1].count, 1u);
}

TEST_F(ExecutorLogDirTest, TaskReferences) {
  ExecutorLogReport r = ScanOrDie(dir_.path());
  std::vector<int64_t> tids;
  for (const TaskLogRef& t : r.tasks) tids.push_back(t.tid);
  EXPECT_EQ(tids, (std::vector<int64_t>{17, 21, 22, 23, 25, 31, 40}));
  const TaskLogRef* t23 = r.FindTask(23);
  ASSERT_NE(t23, nullptr);
  EXPECT_EQ(r.ExecutorOf(*t23), "2");
  EXPECT_EQ(t23->index, 1);
  EXPECT_EQ(t23->stage_id, 3);
  EXPECT_EQ(t23->first_line, 16u);
  EXPECT_EQ(t23->exception_line, 25u);
  const TaskLogRef* t22 = r.FindTask(22);
  ASSERT_NE(t22, nullptr);
  EXPECT_EQ(t22->killed_line, 46u);
  EXPECT_EQ(t22->exception_line, 0u);
  const TaskLogRef* t31 = r.FindTask(31);
  ASSERT_NE(t31, nullptr);
  EXPECT_EQ(r.ExecutorOf(*t31), "3");
  EXPECT_EQ(t31->first_line, 2u);  // "Got assigned task 31": no stage yet ...
  EXPECT_EQ(t31->stage_id, 4);     // ... the next line gives it
  EXPECT_EQ(t31->exception_line, 4u);
  EXPECT_EQ(r.ExecutorOf(*r.FindTask(40)), "unknown");
  EXPECT_EQ(r.tid_conflicts, 0u);
}

TEST_F(ExecutorLogDirTest, UnknownLogAttributedByTheApplicationsTasks) {
  Application app;
  TaskAttempt t;
  t.task_id = 40;
  t.executor = app.strings.Intern("7");
  app.tasks.push_back(t);
  t.task_id = 17;
  t.executor = app.strings.Intern("1");
  app.tasks.push_back(t);
  ExecutorLogOptions o;
  o.app = &app;
  ExecutorLogReport r = ScanOrDie(dir_.path(), o);
  EXPECT_EQ(r.FindExecutor("unknown"), nullptr);
  const ExecutorLogStats* e7 = r.FindExecutor("7");
  ASSERT_NE(e7, nullptr);
  EXPECT_EQ(Hits(e7->rules, "no-space-left"), 1u);
  const LogSourceStats& s = r.sources[e7->sources[0]];
  EXPECT_EQ(s.attributed_by, AttributionSource::kTasks);
  EXPECT_NE(s.attribution.find("executor 7"), std::string::npos) << s.attribution;
  EXPECT_EQ(r.ExecutorOf(*r.FindTask(40)), "7");
}

TEST_F(ExecutorLogDirTest, SameAnswerAtSmallBlocksAndWithoutPrefilter) {
  ExecutorLogReport base = ScanOrDie(dir_.path());
  ExecutorLogOptions small;
  small.block_bytes = 4096;
  small.max_line_bytes = 1024;  // every line here is shorter
  ExecutorLogOptions exact;
  exact.prefilter = false;
  for (const ExecutorLogOptions& o : {small, exact}) {
    ExecutorLogReport r = ScanOrDie(dir_.path(), o);
    ASSERT_EQ(r.executors.size(), base.executors.size());
    for (size_t i = 0; i < r.executors.size(); ++i) {
      const ExecutorLogStats &a = r.executors[i], &b = base.executors[i];
      EXPECT_EQ(a.executor, b.executor);
      EXPECT_EQ(a.lines, b.lines);
      EXPECT_EQ(a.grep, b.grep);
      ASSERT_EQ(a.rules.size(), b.rules.size()) << a.executor;
      for (size_t k = 0; k < a.rules.size(); ++k) {
        EXPECT_EQ(a.rules[k].rule, b.rules[k].rule);
        EXPECT_EQ(a.rules[k].lines, b.rules[k].lines);
        EXPECT_EQ(a.rules[k].first.line, b.rules[k].first.line);
        EXPECT_EQ(a.rules[k].last.line, b.rules[k].last.line);
      }
    }
    EXPECT_EQ(r.lines_matched, base.lines_matched);
    EXPECT_EQ(r.tasks.size(), base.tasks.size());
    EXPECT_EQ(r.distinct_exceptions, base.distinct_exceptions);
  }
  EXPECT_EQ(ScanOrDie(dir_.path(), exact).lines_checked, base.lines);  // every line
  EXPECT_LT(base.lines_checked, base.lines / 2);                       // the prefilter skips
}

TEST(ExecutorLogScan, KubectlPrefixFileSplitsByPod) {
  ScratchDir dir;
  std::string text;
  // Lines 1-3 pod exec-5, 4-5 pod exec-6, 6 exec-5 again, 7 no prefix.
  text +=
      "[pod/etl-9f8e7d6c5b4a3f2e-exec-5/spark-kubernetes-executor] 24/06/01 10:00:01 INFO "
      "Executor: Running task 0.0 in stage 1.0 (TID 5)\n";
  text +=
      "[pod/etl-9f8e7d6c5b4a3f2e-exec-5/spark-kubernetes-executor] "
      "java.lang.OutOfMemoryError: GC overhead limit exceeded\n";
  text +=
      "[pod/etl-9f8e7d6c5b4a3f2e-exec-5/spark-kubernetes-executor] \tat "
      "java.base/java.util.HashMap.resize(HashMap.java:702)\n";
  text +=
      "[pod/etl-9f8e7d6c5b4a3f2e-exec-6/spark-kubernetes-executor] 24/06/01 10:00:02 INFO "
      "Executor: Running task 1.0 in stage 1.0 (TID 6)\n";
  text +=
      "[pod/etl-9f8e7d6c5b4a3f2e-exec-6/spark-kubernetes-executor] "
      "java.net.UnknownHostException: etl-driver-svc\n";
  text +=
      "[pod/etl-9f8e7d6c5b4a3f2e-exec-5/spark-kubernetes-executor] "
      "java.lang.OutOfMemoryError: Java heap space\n";
  text += "error: a container name must be specified for pod etl-driver\n";
  WriteFileOrDie(dir / "all-executors.log", text);
  ExecutorLogReport r = ScanOrDie(dir / "all-executors.log");
  ASSERT_EQ(r.sources.size(), 3u);
  const ExecutorLogStats* e5 = r.FindExecutor("5");
  const ExecutorLogStats* e6 = r.FindExecutor("6");
  ASSERT_NE(e5, nullptr);
  ASSERT_NE(e6, nullptr);
  EXPECT_EQ(e5->lines, 4u);
  EXPECT_EQ(e6->lines, 2u);
  EXPECT_EQ(Hits(e5->rules, "jvm-oom"), 2u);
  const RuleHits* oom = FindHits(e5->rules, "jvm-oom");
  EXPECT_EQ(oom->first.line, 2u);  // physical lines of the file
  EXPECT_EQ(oom->last.line, 6u);
  EXPECT_EQ(oom->first.text, "java.lang.OutOfMemoryError: GC overhead limit exceeded");
  EXPECT_EQ(Hits(e6->rules, "network-exception"), 1u);
  const LogSourceStats& s5 = r.sources[e5->sources[0]];
  EXPECT_EQ(s5.attributed_by, AttributionSource::kPodPrefix);
  EXPECT_EQ(s5.pod, "etl-9f8e7d6c5b4a3f2e-exec-5");
  ASSERT_NE(r.FindExecutor("unknown"), nullptr);
  EXPECT_EQ(r.FindExecutor("unknown")->lines, 1u);
  EXPECT_EQ(r.ExecutorOf(*r.FindTask(6)), "6");
}

TEST(ExecutorLogScan, GarbageBinaryAndOverlongLinesDoNotBreakIt) {
  ScratchDir dir;
  std::string text = "java.lang.OutOfMemoryError: Java heap space\n";  // 1
  std::string binary;
  for (int i = 0; i < 5000; ++i) binary.push_back(static_cast<char>((i * 131 + 7) % 256));
  text += binary + "\n";  // some "lines" of binary (it holds '\n' bytes)
  text += "\xff\xfe java.lang.OutOfMemoryError: Java heap space \xc3\n";  // invalid UTF-8
  // One 200 KB line: a rule at its start and one past max_line_bytes (64 KiB): only the start
  // is looked at.
  text += "java.lang.ClassNotFoundException: A " + std::string(100000, 'x') +
          " java.lang.OutOfMemoryError " + std::string(100000, 'y') + "\n";
  text += "\r\n\n\r\nx\nxy\n";
  text += "java.lang.OutOfMemoryError: Java heap space";  // no final newline
  WriteFileOrDie(dir / "garbage.log", text);
  ExecutorLogReport r = ScanOrDie(dir / "garbage.log");
  ASSERT_EQ(r.sources.size(), 1u);
  const LogSourceStats& s = r.sources[0];
  EXPECT_EQ(s.long_lines, 1u);
  EXPECT_EQ(s.bytes, text.size());
  EXPECT_EQ(Hits(s.rules, "class-not-found"), 1u);
  // Lines 1, the invalid-UTF-8 line and the last; maybe a binary line by chance, never the
  // long line's second half.
  EXPECT_GE(Hits(s.rules, "jvm-oom"), 3u);
  uint64_t newlines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
  EXPECT_EQ(s.lines, newlines + 1);
  for (const RuleHits& h : r.rules) {
    for (const std::string* t : {&h.first.text, &h.last.text}) {
      EXPECT_LE(t->size(), kMaxEvidenceChars);
      EXPECT_EQ(exlogs::EvidenceText(*t, kMaxEvidenceChars), *t) << "not printable UTF-8";
    }
  }
  // The same bytes in blocks of 4 KiB with 256-byte lines.
  ExecutorLogOptions small;
  small.block_bytes = 4096;
  small.max_line_bytes = 256;
  ExecutorLogReport r2 = ScanOrDie(dir / "garbage.log", small);
  EXPECT_EQ(r2.sources[0].lines, s.lines);
  EXPECT_EQ(Hits(r2.rules, "class-not-found"), 1u);
}

TEST(ExecutorLogScan, EmptyFileAndEmptyDirectory) {
  ScratchDir dir;
  WriteFileOrDie(dir / "exec-2.log", "");
  ExecutorLogReport r = ScanOrDie(dir / "exec-2.log");
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].lines, 0u);
  EXPECT_EQ(r.sources[0].executor, "2");
  EXPECT_TRUE(r.rules.empty());
  std::filesystem::create_directories(dir / "empty");
  ExecutorLogReport e = ScanOrDie(dir / "empty");
  EXPECT_TRUE(e.sources.empty());
  EXPECT_TRUE(e.executors.empty());
  EXPECT_EQ(e.files, 0u);
}

TEST(ExecutorLogScan, MissingPathIsNotFoundWithThePath) {
  ScratchDir dir;
  std::string path = (dir / "no-such-logs").string();
  Result<ExecutorLogReport> r = ScanExecutorLogs(path, TheClassifier(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().path(), path);
  EXPECT_NE(r.status().ToString().find(path), std::string::npos);
}

TEST(ExecutorLogScan, BadOptionsAreInvalidArgument) {
  ScratchDir dir;
  ExecutorLogOptions o;
  o.block_bytes = 100;
  EXPECT_EQ(ScanExecutorLogs(dir.path().string(), TheClassifier(), o).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ExecutorLogScan, TruncatedGzipKeepsWhatCameBefore) {
  ScratchDir dir;
  WriteGzip(dir / "full.gz", Exec2Log());
  std::string gz = testing::ReadFileOrDie(dir / "full.gz");
  WriteFileOrDie(dir / "executor-2.log.gz", gz.substr(0, gz.size() * 2 / 3));
  ExecutorLogReport r = ScanOrDie(dir / "executor-2.log.gz");
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_TRUE(r.sources[0].truncated);
  EXPECT_TRUE(r.sources[0].error.empty()) << r.sources[0].error;
  EXPECT_GT(r.sources[0].lines, 0u);
  EXPECT_LT(r.sources[0].lines, 46u);
  EXPECT_EQ(r.sources[0].executor, "2");
}

TEST(ExecutorLogScan, CorruptFileUnderADirectoryIsReportedAndSkipped) {
  ScratchDir dir;
  WriteFileOrDie(dir / "exec-1.log", Exec1Log());
  WriteFileOrDie(dir / "exec-2.log.gz", "this is not gzip at all\n");
  ExecutorLogReport r = ScanOrDie(dir.path());
  EXPECT_EQ(r.files, 2u);
  EXPECT_EQ(r.files_failed, 1u);
  const LogSourceStats* bad = nullptr;
  for (const LogSourceStats& s : r.sources) {
    if (!s.error.empty()) bad = &s;
  }
  ASSERT_NE(bad, nullptr);
  EXPECT_NE(bad->error.find("exec-2.log.gz"), std::string::npos) << bad->error;
  EXPECT_EQ(Hits(r.rules, "jvm-oom"), 2u);
  // Alone, the same file is an error.
  Result<ExecutorLogReport> alone =
      ScanExecutorLogs((dir / "exec-2.log.gz").string(), TheClassifier(), {});
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.status().code(), StatusCode::kCorruption);
  EXPECT_NE(alone.status().ToString().find("exec-2.log.gz"), std::string::npos);
}

TEST(ExecutorLogScan, DepthAndFileCaps) {
  ScratchDir dir;
  std::filesystem::create_directories(dir / "a" / "b" / "c");
  WriteFileOrDie(dir / "exec-1.log", "x\n");
  WriteFileOrDie(dir / "a" / "exec-2.log", "x\n");
  WriteFileOrDie(dir / "a" / "b" / "c" / "exec-4.log", "x\n");
  ExecutorLogOptions o;
  o.max_depth = 2;
  ExecutorLogReport r = ScanOrDie(dir.path(), o);
  EXPECT_EQ(r.files, 2u);
  EXPECT_EQ(r.dirs_skipped, 1u);  // a/b
  o.max_depth = 4;
  o.max_files = 1;
  r = ScanOrDie(dir.path(), o);
  EXPECT_EQ(r.files, 1u);
  EXPECT_EQ(r.files_skipped, 2u);
  EXPECT_EQ(r.sources[0].executor, "4");  // "a/b/c/exec-4.log" sorts first
}

TEST(ExecutorLogScan, DirectoryNamesAttributeStandaloneAndPodFolders) {
  ScratchDir dir;
  std::filesystem::create_directories(dir / "app-20240601-0001" / "5");
  std::filesystem::create_directories(dir / "app-20240601-0001" / "etl-exec-6" / "logs");
  WriteFileOrDie(dir / "app-20240601-0001" / "5" / "stderr", UnknownLog());
  WriteFileOrDie(dir / "app-20240601-0001" / "etl-exec-6" / "logs" / "stdout", "x\n");
  ExecutorLogReport r = ScanOrDie(dir / "app-20240601-0001");
  ASSERT_EQ(r.sources.size(), 2u);
  EXPECT_EQ(r.sources[0].executor, "5");
  EXPECT_EQ(r.sources[0].attributed_by, AttributionSource::kDirectoryName);
  EXPECT_EQ(r.sources[0].attribution, "directory \"5\"");
  EXPECT_EQ(r.sources[1].executor, "6");  // two levels up
  EXPECT_EQ(Hits(r.FindExecutor("5")->rules, "no-space-left"), 1u);
}

// The prefilter skips only lines that no log rule matches: every line of a varied corpus
// (including every log line the classifier tests use and some in odd case) gets the same rule
// ids with and without it.
TEST(ExecutorLogScan, PrefilterNeverHidesAMatch) {
  std::vector<std::string> lines = {
      "24/03/02 10:11:12 WARN Executor: Issue communicating with driver in heartbeater",
      "Executor is trying to kill task 3.1 in stage 0.0 (TID 4), reason: another attempt "
      "succeeded",
      "java.io.IOException: NO SPACE LEFT ON DEVICE",
      "The executor with id 7 exited with exit code 137(SIGKILL, possible container OOM).",
      "Container exited with a non-zero exit code 52",
      "Command exited with code 53",
      "org.apache.spark.SparkException: Could not execute broadcast in 300 secs.",
      "java.util.concurrent.TimeoutException: Futures timed out after [300 seconds]",
      "Caused by: org.apache.spark.rpc.RpcTimeoutException: Futures timed out after [120 "
      "seconds]. This timeout is controlled by spark.executor.heartbeatInterval",
      "org.apache.spark.memory.SparkOutOfMemoryError: Unable to acquire 65536 bytes of memory, "
      "got 0",
      "io.netty.util.internal.OutOfDirectMemoryError: failed to allocate 16777216 byte(s) of "
      "direct memory",
      "ai.rapids.cudf.GpuRetryOOM: GPU OutOfMemory",
      "com.esotericsoftware.kryo.KryoException: Buffer overflow. Available: 0, required: 8",
      "java.io.InvalidClassException: org.example.Foo; local class incompatible",
      "org.apache.hadoop.ipc.RemoteException(org.apache.hadoop.hdfs.server.namenode."
      "LeaseExpiredException): No lease on /tmp/x",
      "Caused by: java.io.FileNotFoundException: hdfs://nn/warehouse/t/part-0 (No such file)",
      "java.net.UnknownHostException: spark-driver-svc",
      "org.apache.spark.SparkArithmeticException: [DIVIDE_BY_ZERO] Division by zero.",
      "org.apache.spark.api.python.PythonException: Traceback (most recent call last):",
      "Python worker exited unexpectedly (crashed)",
      "Job 3 cancelled because SparkContext was shut down",
      "24/06/01 10:00:00 WARN NettyRpcEnv: Ignored failure: java.util.concurrent."
      "TimeoutException: Cannot receive any reply from 10.0.0.1:7078 in 10 seconds",
      "Failed to create any local dir.",
      "24/06/01 ERROR DiskBlockManager: Failed to create local dir",
      "no ſpace left on device",         // U+017F LATIN SMALL LETTER LONG S folds to 's'
      "dis\xe2\x84\xaa quota exceeded",  // U+212A KELVIN SIGN folds to 'k'
      "Total size of serialized results of 12 tasks (1050.3 MiB) is bigger than "
      "spark.driver.maxResultSize (1024.0 MiB)",
      "Decommission executor 4",
      "Container killed by YARN for exceeding physical memory limits. 5.5 GB of 5.5 GB used.",
      "java.lang.NoSuchMethodError: 'void com.example.Foo.bar()'",
      "WARN TaskSetManager: Lost task 1.0 in stage 2.0 (TID 3): FetchFailed(null, shuffleId=0, "
      "mapIndex=-1, mapId=-1, reduceId=1, message=org.apache.spark.shuffle."
      "MetadataFetchFailedException: Missing an output location for shuffle 0",
      "OOMKilled",
      "exit status: -104",
      "Connection timed out: connect",
      "Stage 4 cancelled",
  };
  ScratchDir dir;
  std::string text = Exec1Log() + Exec2Log() + Exec3Log() + UnknownLog();
  for (const std::string& l : lines) text += l + "\n";
  WriteFileOrDie(dir / "mixed.log", text);
  ExecutorLogOptions exact;
  exact.prefilter = false;
  ExecutorLogReport fast = ScanOrDie(dir / "mixed.log");
  ExecutorLogReport slow = ScanOrDie(dir / "mixed.log", exact);
  EXPECT_EQ(fast.lines_matched, slow.lines_matched);
  EXPECT_GT(slow.lines_matched, lines.size());
  std::map<std::string, uint64_t> a, b;
  for (const RuleHits& h : fast.rules) a[h.rule] = h.lines;
  for (const RuleHits& h : slow.rules) b[h.rule] = h.lines;
  EXPECT_EQ(a, b);
  // Line by line, against MatchLogLine itself.
  uint64_t matched = 0;
  for (const std::string& l : lines) matched += !TheClassifier().MatchLogLine(l).empty();
  EXPECT_EQ(matched, lines.size()) << "every line above should match some log rule";
}

// ---- Joining with a Diagnosis -------------------------------------------------------------

TEST(ExecutorLogJoin, RelationsBetweenClasses) {
  using enum FailureClass;
  EXPECT_EQ(RelationOf(kJvmOom, kJvmOom), EvidenceRelation::kAgrees);
  EXPECT_EQ(RelationOf(kContainerOomKilled, kJvmOom), EvidenceRelation::kAgrees);  // scenario 6
  EXPECT_EQ(RelationOf(kOutOfMemory, kContainerOomKilled), EvidenceRelation::kAgrees);
  EXPECT_EQ(RelationOf(kExecutorLost, kDiskFull), EvidenceRelation::kMayExplain);
  EXPECT_EQ(RelationOf(kTaskTimeoutKill, kJvmOom), EvidenceRelation::kMayExplain);
  EXPECT_EQ(RelationOf(kShuffleFetch, kTransientNetwork), EvidenceRelation::kOther);
  EXPECT_EQ(RelationOf(kExecutorLost, kSpeculativeDuplicate), EvidenceRelation::kOther);
  EXPECT_EQ(RelationOf(kExecutorLost, kStageCancelled), EvidenceRelation::kOther);
}

TEST_F(ExecutorLogDirTest, JoinPutsEachExecutorsEvidenceNextToItsFinding) {
  ExecutorLogReport logs = ScanOrDie(dir_.path());
  Diagnosis d;
  Finding oom;
  oom.cls = FailureClass::kContainerOomKilled;
  oom.executors = {"5", "1"};  // 5 has no logs
  Finding lost;
  lost.cls = FailureClass::kExecutorLost;
  lost.executors = {"3"};
  Finding fetch;
  fetch.cls = FailureClass::kShuffleFetch;
  fetch.executors = {"2", "4"};
  d.findings = {oom, lost, fetch};
  ExecutorLogJoinOptions o;
  o.max_rules_per_executor = 2;
  ExecutorLogJoin j = JoinExecutorLogs(logs, d, o);
  ASSERT_EQ(j.findings.size(), 3u);

  const FindingLogEvidence& f0 = j.findings[0];
  EXPECT_TRUE(f0.confirmed);
  EXPECT_EQ(f0.executors_scanned, 1u);
  EXPECT_EQ(f0.executors_supporting, 1u);
  ASSERT_EQ(f0.executors.size(), 2u);
  EXPECT_EQ(f0.executors[0].executor, "1");  // supporting lines first
  EXPECT_TRUE(f0.executors[0].scanned);
  EXPECT_EQ(f0.executors[0].lines_read, 16u);
  EXPECT_EQ(f0.executors[0].supporting_lines, 4u);  // jvm-oom 2 + oom-text 2
  ASSERT_EQ(f0.executors[0].hits.size(), 2u);
  EXPECT_EQ(f0.executors[0].hits[0].relation, EvidenceRelation::kAgrees);
  EXPECT_EQ(f0.executors[0].hits[0].first.line, 8u);
  EXPECT_EQ(f0.executors[1].executor, "5");
  EXPECT_FALSE(f0.executors[1].scanned);

  const FindingLogEvidence& f1 = j.findings[1];  // executor lost: the log says why
  EXPECT_FALSE(f1.confirmed);
  EXPECT_EQ(f1.executors_supporting, 1u);
  ASSERT_EQ(f1.executors.size(), 1u);
  EXPECT_EQ(f1.executors[0].supporting_lines, 3u);  // class-not-found 2, local-dir-failed 1
  EXPECT_EQ(f1.executors[0].hits[0].rule, "class-not-found");
  EXPECT_EQ(f1.executors[0].hits[0].relation, EvidenceRelation::kMayExplain);

  const FindingLogEvidence& f2 = j.findings[2];
  EXPECT_TRUE(f2.confirmed);  // fetch-failed-exception, shuffle-text on executor 2
  EXPECT_EQ(f2.executors_scanned, 2u);
  EXPECT_EQ(f2.executors_supporting, 1u);
  EXPECT_EQ(f2.executors[0].executor, "2");
  EXPECT_EQ(f2.executors[0].supporting_lines, 9u);  // fetch-failed-exception 3 + shuffle-text 6
  EXPECT_EQ(f2.executors[0].hits[0].rule, "shuffle-text");  // agreeing, most lines first
  EXPECT_EQ(f2.executors[1].executor, "4");
  EXPECT_TRUE(f2.executors[1].scanned);
  EXPECT_TRUE(f2.executors[1].hits.empty());

  // The unattributed copy's disk trouble is in no finding.
  ASSERT_EQ(j.unexplained.size(), 1u);
  EXPECT_EQ(j.unexplained[0].executor, "unknown");
  EXPECT_EQ(j.unexplained[0].hits[0].rule, "no-space-left");
}

TEST(ExecutorLogJoin, ExecutorCapPerFinding) {
  ExecutorLogReport logs;
  Diagnosis d;
  Finding f;
  f.cls = FailureClass::kJvmOom;
  for (int i = 0; i < 20; ++i) f.executors.push_back(std::to_string(i));
  d.findings = {f};
  ExecutorLogJoin j = JoinExecutorLogs(logs, d);
  ASSERT_EQ(j.findings.size(), 1u);
  EXPECT_EQ(j.findings[0].executors.size(), 8u);
  EXPECT_EQ(j.findings[0].executors_omitted, 12u);
  EXPECT_EQ(j.findings[0].executors_scanned, 0u);
  EXPECT_FALSE(j.findings[0].confirmed);
}

}  // namespace
}  // namespace sparkmedic
