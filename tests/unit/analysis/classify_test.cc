// Failure classification: the rule table, one case per rule in Spark 2.4 / 3.x / 4.x wording,
// precedence (structure beats text), root-cause extraction, RepresentativeMessage, ClassifyText
// on stage/job/executor texts, executor-log matching, and the real corpus.
#include "sparkmedic/classify.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ostream>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "analysis/classify/exception_chain.h"
#include "analysis/classify/rules.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

using classify::ChainEntry;
using classify::ParseChain;
using classify::Rule;
using classify::Rules;

// ---------------------------------------------------------------------------------------------
// Builders for realistic task ends.

// The frames under a task in Spark 3.x on Java 8 (Executor.scala line numbers of 3.1-3.3).
constexpr const char* kTaskFrames3 =
    "\tat org.apache.spark.rdd.RDD.computeOrReadCheckpoint(RDD.scala:373)\n"
    "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:337)\n"
    "\tat org.apache.spark.scheduler.ResultTask.runTask(ResultTask.scala:90)\n"
    "\tat org.apache.spark.scheduler.Task.run(Task.scala:131)\n"
    "\tat org.apache.spark.executor.Executor$TaskRunner.$anonfun$run$3(Executor.scala:497)\n"
    "\tat org.apache.spark.util.Utils$.tryWithSafeFinally(Utils.scala:1439)\n"
    "\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:500)\n"
    "\tat java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1149)\n"
    "\tat java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:624)\n"
    "\tat java.lang.Thread.run(Thread.java:748)\n";

// The same in Spark 4.x on Java 17 (module-qualified JDK frames).
constexpr const char* kTaskFrames4 =
    "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:335)\n"
    "\tat org.apache.spark.scheduler.ResultTask.runTask(ResultTask.scala:93)\n"
    "\tat org.apache.spark.TaskContext.runTaskWithListeners(TaskContext.scala:171)\n"
    "\tat org.apache.spark.scheduler.Task.run(Task.scala:146)\n"
    "\tat org.apache.spark.executor.Executor$TaskRunner.$anonfun$run$5(Executor.scala:644)\n"
    "\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:647)\n"
    "\tat "
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)\n"
    "\tat "
    "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:840)\n";

// An ExceptionFailure as the event log has it: Class Name and Description from the trace's
// first line, Full Stack Trace the whole text.
TaskFailure Ex(const std::string& trace) {
  TaskFailure f;
  f.kind = TaskEndKind::kExceptionFailure;
  std::string first = trace.substr(0, trace.find('\n'));
  size_t colon = first.find(": ");
  f.class_name = first.substr(0, colon);
  f.description = colon == std::string::npos ? "" : first.substr(colon + 2);
  f.full_stack_trace = trace;
  return f;
}

// A Spark 2.x-era ExceptionFailure without Full Stack Trace.
TaskFailure ExNoTrace(const std::string& cls, const std::string& desc,
                      std::vector<StackFrame> frames) {
  TaskFailure f;
  f.kind = TaskEndKind::kExceptionFailure;
  f.class_name = cls;
  f.description = desc;
  f.stack_trace = std::move(frames);
  return f;
}

TaskFailure Lost(std::optional<std::string> reason, bool by_app = true) {
  TaskFailure f;
  f.kind = TaskEndKind::kExecutorLostFailure;
  f.lost_executor_id = "7";
  f.exit_caused_by_app = by_app;
  f.loss_reason = std::move(reason);
  return f;
}

TaskFailure Killed(const std::string& reason) {
  TaskFailure f;
  f.kind = TaskEndKind::kTaskKilled;
  f.kill_reason = reason;
  return f;
}

TaskFailure Kind(TaskEndKind kind) {
  TaskFailure f;
  f.kind = kind;
  return f;
}

TaskFailure Fetch(const std::string& message) {
  TaskFailure f;
  f.kind = TaskEndKind::kFetchFailed;
  f.has_block_manager = true;
  f.bm_executor_id = "3";
  f.bm_host = "worker-3.example.com";
  f.bm_port = 7337;
  f.shuffle_id = 4;
  f.map_id = 118;
  f.map_index = 18;
  f.reduce_id = 77;
  f.message = message;
  return f;
}

// A PySpark 3.x UDF failure: the Python traceback inside the PythonException message.
std::string PythonTrace(const std::string& python_error) {
  return "org.apache.spark.api.python.PythonException: Traceback (most recent call last):\n"
         "  File \"/opt/spark/python/lib/pyspark.zip/pyspark/worker.py\", line 619, in main\n"
         "    process()\n"
         "  File \"/opt/spark/python/lib/pyspark.zip/pyspark/worker.py\", line 611, in process\n"
         "    serializer.dump_stream(out_iter, outfile)\n"
         "  File \"/app/jobs/clean.py\", line 42, in parse_amount\n"
         "    return int(raw)\n" +
         python_error +
         "\n\n"
         "\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator.handlePythonException("
         "PythonRunner.scala:545)\n"
         "\tat org.apache.spark.sql.execution.python.PythonUDFRunner$$anon$2.read("
         "PythonUDFRunner.scala:86)\n"
         "\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator.hasNext("
         "PythonRunner.scala:498)\n" +
         kTaskFrames3;
}

// ---------------------------------------------------------------------------------------------
// The rule table itself.

TEST(RuleTable, IdsAreUniqueStableNames) {
  std::set<std::string_view> ids;
  static const RE2 kId("[a-z0-9]+(?:-[a-z0-9]+)*");
  for (const Rule& r : Rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate rule id " << r.id;
    EXPECT_TRUE(RE2::FullMatch(r.id, kId)) << r.id;
  }
  EXPECT_LE(Rules().size(), 128u);  // the engine's bit sets
}

TEST(RuleTable, EveryPatternCompiles) {
  for (const Rule& r : Rules()) {
    for (std::string_view p : {r.class_re, r.text_re}) {
      if (p.empty()) continue;
      RE2 re(p, RE2::Quiet);
      EXPECT_TRUE(re.ok()) << r.id << ": " << re.error();
    }
  }
}

TEST(RuleTable, EveryRowIsWellFormed) {
  for (const Rule& r : Rules()) {
    SCOPED_TRACE(std::string(r.id));
    EXPECT_NE(r.scopes, 0);
    EXPECT_NE(r.cls, FailureClass::kUnknown);
    bool pattern = !r.class_re.empty() || !r.text_re.empty();
    if (r.scopes & classify::kEndKind) {
      EXPECT_NE(r.kind, TaskEndKind::kOther);
    }
    if (r.scopes & classify::kSpecial) {
      EXPECT_NE(r.special, classify::Special::kNone);
    }
    if (r.scopes & (classify::kKillReason | classify::kLossReason)) {
      EXPECT_FALSE(r.text_re.empty());
    }
    if (r.scopes & (classify::kException | classify::kText)) {
      EXPECT_TRUE(pattern);
    }
    if (r.log) {
      EXPECT_TRUE(pattern);
    }
    if (r.dominant) {
      EXPECT_TRUE(r.scopes & classify::kException);
    }
    if (r.icase) {
      EXPECT_FALSE(r.text_re.empty());
    }
  }
}

TEST(RuleTable, EveryClassHasARule) {
  std::set<FailureClass> covered;
  for (const Rule& r : Rules()) covered.insert(r.cls);
  for (int i = 0; i < kNumFailureClasses; ++i) {
    auto c = static_cast<FailureClass>(i);
    if (c == FailureClass::kUnknown) continue;
    EXPECT_TRUE(covered.count(c)) << FailureClassName(c);
  }
}

TEST(FailureClassNames, AreUniqueAndMapToTheRunbook) {
  std::set<std::string> names;
  for (int i = 0; i < kNumFailureClasses; ++i) {
    auto c = static_cast<FailureClass>(i);
    EXPECT_TRUE(names.insert(FailureClassName(c)).second);
    EXPECT_NE(std::string(FailureClassTitle(c)), "");
    EXPECT_GE(RunbookScenario(c), 0);
    EXPECT_LE(RunbookScenario(c), 8);
  }
  EXPECT_STREQ(FailureClassName(FailureClass::kContainerOomKilled), "container-oom-killed");
  EXPECT_STREQ(FailureClassName(FailureClass::kUnknown), "unknown");
  EXPECT_EQ(RunbookScenario(FailureClass::kTransientNetwork), 1);
  EXPECT_EQ(RunbookScenario(FailureClass::kShuffleFetch), 2);
  EXPECT_EQ(RunbookScenario(FailureClass::kExecutorLost), 3);
  EXPECT_EQ(RunbookScenario(FailureClass::kSerialization), 4);
  EXPECT_EQ(RunbookScenario(FailureClass::kClassNotFound), 5);
  EXPECT_EQ(RunbookScenario(FailureClass::kJvmOom), 6);
  EXPECT_EQ(RunbookScenario(FailureClass::kContainerOomKilled), 6);
  EXPECT_EQ(RunbookScenario(FailureClass::kTaskTimeoutKill), 7);
  EXPECT_EQ(RunbookScenario(FailureClass::kHadoopHdfs), 8);
  EXPECT_EQ(RunbookScenario(FailureClass::kSpeculativeDuplicate), 0);
  EXPECT_FALSE(IsRealFailure(FailureClass::kSpeculativeDuplicate));
  EXPECT_TRUE(IsRealFailure(FailureClass::kJvmOom));
  EXPECT_STREQ(ConfidenceName(Confidence::kHigh), "high");
}

// ---------------------------------------------------------------------------------------------
// One case per rule (several for some), as parameterized tests named after the case.

struct Case {
  std::string name;  // test name: rule id plus a wording tag
  std::string rule;
  FailureClass cls;
  std::optional<TaskFailure> task;  // ClassifyTask, or
  std::string text;                 // ClassifyText when `task` is empty
  std::optional<std::string> remove_reason;
  std::vector<std::string> app_packages;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

Case TaskCase(std::string name, std::string rule, FailureClass cls, TaskFailure f) {
  return Case{std::move(name), std::move(rule), cls, std::move(f), "", std::nullopt, {}};
}

Case TextCase(std::string name, std::string rule, FailureClass cls, std::string text) {
  return Case{std::move(name), std::move(rule), cls, std::nullopt,
              std::move(text), std::nullopt,    {}};
}

constexpr auto kNet = FailureClass::kTransientNetwork;
constexpr auto kFetch = FailureClass::kShuffleFetch;
constexpr auto kLost = FailureClass::kExecutorLost;
constexpr auto kSer = FailureClass::kSerialization;
constexpr auto kCnf = FailureClass::kClassNotFound;
constexpr auto kOom = FailureClass::kOutOfMemory;
constexpr auto kTimeout = FailureClass::kTaskTimeoutKill;
constexpr auto kHdfs = FailureClass::kHadoopHdfs;
constexpr auto kContainer = FailureClass::kContainerOomKilled;
constexpr auto kJvm = FailureClass::kJvmOom;
constexpr auto kDisk = FailureClass::kDiskFull;
constexpr auto kResult = FailureClass::kResultTooLarge;
constexpr auto kCommit = FailureClass::kCommitDenied;
constexpr auto kPy = FailureClass::kPythonWorkerCrash;
constexpr auto kDecom = FailureClass::kExecutorDecommission;
constexpr auto kSpec = FailureClass::kSpeculativeDuplicate;
constexpr auto kCancel = FailureClass::kStageCancelled;
constexpr auto kCont = FailureClass::kContinuousStreamingRetry;
constexpr auto kUser = FailureClass::kUserCodeData;

// K8s (3.3+) loss reason: ExecutorPodsLifecycleManager's message with container statuses.
std::string K8sExit(int code, const std::string& termination_reason, const std::string& pod_reason,
                    const std::string& pod_message) {
  std::string human = code == 137  ? "(SIGKILL, possible container OOM)"
                      : code == 52 ? "(JVM OOM)"
                      : code == 53 ? "(DiskStore failed to create temp dir)"
                                   : "(unexpected)";
  return "\nThe executor with id 7 exited with exit code " + std::to_string(code) + human +
         ".\n\n\nThe API gave the following brief reason: " + pod_reason +
         "\nThe API gave the following message: " + pod_message +
         "\nThe API gave the following container statuses:\n\n\n"
         "\t container name: spark-kubernetes-executor\n"
         "\t container image: registry.example.com/spark:3.5.1\n"
         "\t container state: terminated\n"
         "\t container started at: 2024-03-02T10:11:12Z\n"
         "\t container finished at: 2024-03-02T10:40:01Z\n"
         "\t exit code: " +
         std::to_string(code) +
         "\n"
         "\t termination reason: " +
         termination_reason + "\n";
}

// YARN (2.4-3.x) loss reason for a container that exited with `code`.
std::string YarnExit(int code) {
  std::string c = std::to_string(code);
  return "Container marked as failed: container_e12_1699999999999_0042_01_000004 on host: "
         "worker-12.example.com. Exit status: " +
         c +
         ". Diagnostics: Exception from container-launch.\n"
         "Container id: container_e12_1699999999999_0042_01_000004\nExit code: " +
         c + "\nStack trace: ExitCodeException exitCode=" + c +
         ": \n\tat org.apache.hadoop.util.Shell.runCommand(Shell.java:601)\n"
         "\tat org.apache.hadoop.util.Shell.run(Shell.java:504)\n\n\n"
         "Container exited with a non-zero exit code " +
         c + "\n";
}

std::vector<Case> AllCases() {
  std::vector<Case> cs;
  // -- TaskKilled --------------------------------------------------------------------------
  cs.push_back(TaskCase("speculation_loser", "speculation-loser", kSpec,
                        Killed("another attempt succeeded")));
  cs.push_back(
      TaskCase("stage_finished_kill", "stage-finished-kill", kSpec, Killed("Stage finished")));
  cs.push_back(TaskCase("cancelled_kill_3x", "cancelled-kill", kCancel, Killed("Stage cancelled")));
  cs.push_back(TaskCase("cancelled_kill_4x", "cancelled-kill", kCancel,
                        Killed("Stage cancelled: Job 12 cancelled part of cancelled job group "
                               "nightly-etl")));
  cs.push_back(TaskCase("cancelled_kill_web_ui", "cancelled-kill", kCancel,
                        Killed("killed via the Web UI")));
  cs.push_back(TaskCase("barrier_sibling_kill", "barrier-sibling-kill", kCancel,
                        Killed("Task 3 from barrier stage ResultStage 2 (collect at "
                               "Train.scala:40) failed.")));
  cs.push_back(TaskCase("decommission_kill", "decommission-kill", kDecom,
                        Killed("Executor decommission: spot instance reclaimed")));
  cs.push_back(TaskCase("timeout_kill", "timeout-kill", kTimeout,
                        Killed("exceeded the task time-out of 3600 s set by the platform")));
  cs.push_back(
      TaskCase("killed_other_2x", "killed-other", kCancel, Killed("killed intentionally")));
  cs.push_back(TaskCase("killed_other_no_reason", "killed-other", kCancel, Killed("")));

  // -- ExecutorLostFailure ----------------------------------------------------------------
  cs.push_back(TaskCase("k8s_oomkilled_3x", "k8s-oomkilled", kContainer,
                        Lost(K8sExit(137, "OOMKilled", "N/A", "N/A"))));
  cs.push_back(TaskCase("yarn_memory_limit_24", "yarn-memory-limit", kContainer,
                        Lost("Container killed by YARN for exceeding memory limits. 5.5 GB of "
                             "5.5 GB physical memory used. Consider boosting "
                             "spark.yarn.executor.memoryOverhead.")));
  cs.push_back(TaskCase("yarn_memory_limit_3x", "yarn-memory-limit", kContainer,
                        Lost("Container killed by YARN for exceeding physical memory limits. "
                             "10.4 GB of 10.4 GB physical memory used. Consider boosting "
                             "spark.executor.memoryOverhead.")));
  cs.push_back(TaskCase("yarn_memory_limit_hadoop3", "yarn-memory-limit", kContainer,
                        Lost("Container from a bad node: container_e05_1700000000000_0007_01_000009"
                             " on host: worker-4. Exit status: 143. Diagnostics: [2024-03-02 "
                             "10:11:12.345]Container [pid=31337,containerID=container_e05_"
                             "1700000000000_0007_01_000009] is running 145752576B beyond the "
                             "'PHYSICAL' memory limit. Current usage: 4.1 GB of 4 GB physical "
                             "memory used; 6.2 GB of 8.4 GB virtual memory used. Killing "
                             "container.")));
  cs.push_back(TaskCase("decommissioned_31", "decommissioned", kDecom,
                        Lost("Executor decommission.", false)));
  cs.push_back(TaskCase("decommissioned_34", "decommissioned", kDecom,
                        Lost("Executor decommission: worker decommissioned", false)));
  cs.push_back(
      TaskCase("exit_52_standalone", "exit-52", kJvm, Lost("Command exited with code 52")));
  cs.push_back(TaskCase("exit_52_k8s", "exit-52", kJvm, Lost(K8sExit(52, "Error", "N/A", "N/A"))));
  cs.push_back(TaskCase("exit_53_yarn", "exit-53", kDisk, Lost(YarnExit(53))));
  cs.push_back(TaskCase("exit_137_k8s_no_reason", "exit-137", kContainer,
                        Lost(K8sExit(137, "Error", "N/A", "N/A"))));
  cs.push_back(TaskCase("exit_137_yarn", "exit-137", kContainer, Lost(YarnExit(137))));
  cs.push_back(TaskCase("heartbeat_timeout_3x", "heartbeat-timeout", kTimeout,
                        Lost("Executor heartbeat timed out after 161447 ms")));
  cs.push_back(TaskCase("exit_56_yarn", "exit-56", kTimeout, Lost(YarnExit(56))));
  cs.push_back(
      TaskCase("exit_57_standalone", "exit-57", kTimeout, Lost("Command exited with code 57")));
  cs.push_back(TaskCase("k8s_evicted_memory", "k8s-evicted-memory", kContainer,
                        Lost(K8sExit(-1, "Error", "Evicted",
                                     "The node was low on resource: memory. Container "
                                     "spark-kubernetes-executor was using 7340032Ki, which "
                                     "exceeds its request of 4404019Ki. "))));
  cs.push_back(TaskCase("k8s_evicted_disk", "k8s-evicted-disk", kDisk,
                        Lost(K8sExit(-1, "Error", "Evicted",
                                     "The node was low on resource: ephemeral-storage. Container "
                                     "spark-kubernetes-executor was using 21474836Ki, which "
                                     "exceeds its request of 0. "))));
  cs.push_back(TaskCase("preempted_yarn", "preempted", kLost,
                        Lost("Container container_e05_1700000000000_0007_01_000011 on host: "
                             "worker-7 was preempted.",
                             false)));
  cs.push_back(TaskCase("driver_released_yarn", "driver-released", kLost,
                        Lost("Container container_e18_1628109047826_1317105_01_000002 exited "
                             "from explicit termination request.",
                             false)));
  cs.push_back(
      TaskCase("driver_released_k8s", "driver-released", kLost,
               Lost("The executor with id 7 was deleted by a user or the framework.", false)));
  cs.push_back(TaskCase("executor_lost_process_lost", "executor-lost", kLost,
                        Lost("Executor Process Lost")));
  cs.push_back(TaskCase("executor_lost_disassociated", "executor-lost", kLost,
                        Lost("Remote RPC client disassociated. Likely due to containers exceeding "
                             "thresholds, or network issues. Check driver logs for WARN "
                             "messages.")));
  cs.push_back(TaskCase("executor_lost_no_reason", "executor-lost", kLost, Lost(std::nullopt)));

  // -- the end kind alone -------------------------------------------------------------------
  cs.push_back(TaskCase("fetch_failed", "fetch-failed", kFetch,
                        Fetch("org.apache.spark.shuffle.FetchFailedException: Failed to connect "
                              "to worker-3.example.com/10.0.0.3:7337\n" +
                              std::string(kTaskFrames3))));
  cs.push_back(
      TaskCase("commit_denied", "commit-denied", kCommit, Kind(TaskEndKind::kTaskCommitDenied)));
  cs.push_back(
      TaskCase("task_result_lost", "task-result-lost", kLost, Kind(TaskEndKind::kTaskResultLost)));
  cs.push_back(TaskCase("resubmitted", "resubmitted", kLost, Kind(TaskEndKind::kResubmitted)));

  // -- dominant exceptions ------------------------------------------------------------------
  cs.push_back(TaskCase(
      "fetch_failed_exception_wrapped", "fetch-failed-exception", kFetch,
      Ex("org.apache.spark.SparkException: Task failed while writing rows.\n"
         "\tat org.apache.spark.sql.execution.datasources.FileFormatWriter$.executeTask("
         "FileFormatWriter.scala:296)\n" +
         std::string(kTaskFrames3) +
         "Caused by: org.apache.spark.shuffle.FetchFailedException: Failed to connect to "
         "worker-3.example.com/10.0.0.3:7337\n"
         "\tat org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
         "ShuffleBlockFetcherIterator.scala:770)\n"
         "\t... 12 more\n"
         "Caused by: java.io.IOException: Failed to connect to worker-3.example.com/10.0.0.3:7337\n"
         "\tat org.apache.spark.network.client.TransportClientFactory.createClient("
         "TransportClientFactory.scala:287)\n"
         "\t... 3 more\n"
         "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection "
         "refused: worker-3.example.com/10.0.0.3:7337\n"
         "Caused by: java.net.ConnectException: Connection refused\n"
         "\tat sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)\n"
         "\t... 1 more\n")));
  cs.push_back(TextCase("missing_shuffle_output", "missing-shuffle-output", kFetch,
                        "org.apache.spark.SparkException: Missing an output location for shuffle "
                        "7 partition 3\n\tat org.apache.spark.MapOutputTracker$.validateStatus("
                        "MapOutputTracker.scala:1705)\n"));
  cs.push_back(TaskCase("continuous_retry_24", "continuous-retry", kCont,
                        Ex("org.apache.spark.sql.execution.streaming.continuous."
                           "ContinuousTaskRetryException: Continuous execution does not support "
                           "task retry\n"
                           "\tat org.apache.spark.sql.execution.streaming.continuous."
                           "ContinuousDataSourceRDD.compute(ContinuousDataSourceRDD.scala:68)\n" +
                           std::string(kTaskFrames3))));
  cs.push_back(TextCase("continuous_retry_message_query", "continuous-retry-message", kCont,
                        "Query rates [id = 8f0c1e52-5a8e-4f58-9d1f-3c2c8b1e6a01, runId = "
                        "0d5b6d7e-2c1a-4f0e-9a57-1b7c2f3e4d5a] terminated with exception: "
                        "Continuous execution does not support task retry"));
  cs.push_back(
      TaskCase("python_worker_crashed_3x", "python-worker-crashed", kPy,
               Ex("org.apache.spark.SparkException: Python worker exited unexpectedly (crashed)\n"
                  "\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator$$anonfun$1."
                  "applyOrElse(PythonRunner.scala:550)\n" +
                  std::string(kTaskFrames3) +
                  "Caused by: java.io.EOFException\n"
                  "\tat java.io.DataInputStream.readInt(DataInputStream.java:392)\n"
                  "\t... 26 more\n")));
  cs.push_back(TaskCase("rpc_timeout", "rpc-timeout", kNet,
                        Ex("org.apache.spark.rpc.RpcTimeoutException: Futures timed out after "
                           "[120 seconds]. This timeout is controlled by spark.rpc.askTimeout\n"
                           "\tat org.apache.spark.rpc.RpcTimeout.org$apache$spark$rpc$RpcTimeout"
                           "$$createRpcTimeoutException(RpcTimeout.scala:47)\n" +
                           std::string(kTaskFrames3) +
                           "Caused by: java.util.concurrent.TimeoutException: Futures timed out "
                           "after [120 seconds]\n"
                           "\tat scala.concurrent.impl.Promise$DefaultPromise.ready("
                           "Promise.scala:259)\n\t... 8 more\n")));
  cs.push_back(TaskCase("commit_denied_exception", "commit-denied-exception", kCommit,
                        Ex("org.apache.spark.SparkException: Task failed while writing rows.\n" +
                           std::string(kTaskFrames3) +
                           "Caused by: org.apache.spark.executor.CommitDeniedException: "
                           "attempt_202403021011_0005_m_000003_12: Not committed because the "
                           "driver did not authorize commit\n"
                           "\tat org.apache.spark.mapred.SparkHadoopMapRedUtil$.commitTask("
                           "SparkHadoopMapRedUtil.scala:81)\n\t... 9 more\n")));
  cs.push_back(TextCase("task_not_serializable_job", "task-not-serializable", kSer,
                        "Job aborted due to stage failure: Task not serializable: "
                        "java.io.NotSerializableException: com.example.etl.Enricher\n"
                        "Serialization stack:\n\t- object not serializable (class: "
                        "com.example.etl.Enricher, value: com.example.etl.Enricher@5f2c1a)"));
  cs.push_back(TaskCase("broadcast_timeout_3x", "broadcast-timeout", kTimeout,
                        Ex("org.apache.spark.SparkException: Could not execute broadcast in 300 "
                           "secs. You can increase the timeout for broadcasts via "
                           "spark.sql.broadcastTimeout or disable broadcast join by setting "
                           "spark.sql.autoBroadcastJoinThreshold to -1\n"
                           "\tat org.apache.spark.sql.execution.exchange.BroadcastExchangeExec."
                           "doExecuteBroadcast(BroadcastExchangeExec.scala:198)\n"
                           "Caused by: java.util.concurrent.TimeoutException: Futures timed out "
                           "after [300 seconds]\n"
                           "\tat scala.concurrent.impl.Promise$DefaultPromise.ready("
                           "Promise.scala:259)\n")));

  // -- exceptions, deepest first ------------------------------------------------------------
  cs.push_back(
      TaskCase("jvm_oom_heap_3x", "jvm-oom", kJvm,
               Ex("java.lang.OutOfMemoryError: Java heap space\n"
                  "\tat java.util.Arrays.copyOf(Arrays.java:3236)\n"
                  "\tat java.io.ByteArrayOutputStream.grow(ByteArrayOutputStream.java:118)\n" +
                  std::string(kTaskFrames3))));
  cs.push_back(TaskCase("jvm_oom_gc_wrapped_4x", "jvm-oom", kJvm,
                        Ex("org.apache.spark.SparkException: [TASK_WRITE_FAILED] Task failed while "
                           "writing rows to s3a://lake/events. SQLSTATE: 58030\n"
                           "\tat org.apache.spark.sql.errors.QueryExecutionErrors$."
                           "taskFailedWhileWritingRowsError(QueryExecutionErrors.scala:774)\n" +
                           std::string(kTaskFrames4) +
                           "Caused by: java.lang.OutOfMemoryError: GC overhead limit exceeded\n"
                           "\tat java.base/java.util.HashMap.resize(HashMap.java:702)\n"
                           "\t... 14 more\n")));
  cs.push_back(TaskCase("jvm_oom_native_thread", "jvm-oom", kJvm,
                        Ex("java.lang.OutOfMemoryError: unable to create new native thread\n"
                           "\tat java.lang.Thread.start0(Native Method)\n")));
  cs.push_back(TaskCase("jvm_oom_direct_buffer", "jvm-oom", kJvm,
                        Ex("java.lang.OutOfMemoryError: Direct buffer memory\n"
                           "\tat java.nio.Bits.reserveMemory(Bits.java:695)\n")));
  cs.push_back(TaskCase("jvm_oom_no_full_trace_22", "jvm-oom", kJvm,
                        ExNoTrace("java.lang.OutOfMemoryError", "Java heap space",
                                  {{"java.util.Arrays", "copyOf", "Arrays.java", 3181}})));
  cs.push_back(TaskCase("spark_oom_4x", "spark-oom", kJvm,
                        Ex("org.apache.spark.memory.SparkOutOfMemoryError: "
                           "[UNABLE_TO_ACQUIRE_MEMORY] Unable to acquire 65536 bytes of memory, "
                           "got 0. SQLSTATE: 53200\n"
                           "\tat org.apache.spark.memory.MemoryConsumer.throwOom("
                           "MemoryConsumer.java:157)\n" +
                           std::string(kTaskFrames4))));
  cs.push_back(TaskCase("netty_direct_oom", "netty-direct-oom", kJvm,
                        Ex("io.netty.util.internal.OutOfDirectMemoryError: failed to allocate "
                           "16777216 byte(s) of direct memory (used: 1023410176, max: "
                           "1029177344)\n\tat io.netty.util.internal.PlatformDependent."
                           "incrementMemoryCounter(PlatformDependent.java:802)\n")));
  cs.push_back(TaskCase("offheap_oom_message_broadcast", "offheap-oom-message", kJvm,
                        Ex("org.apache.spark.SparkException: Not enough memory to build and "
                           "broadcast the table to all worker nodes. As a workaround, you can "
                           "either disable broadcast by setting "
                           "spark.sql.autoBroadcastJoinThreshold to -1 or increase the spark "
                           "driver memory by setting spark.driver.memory to a higher value.\n"
                           "\tat org.apache.spark.sql.errors.QueryExecutionErrors$."
                           "notEnoughMemoryToBuildAndBroadcastTableError("
                           "QueryExecutionErrors.scala:2117)\n")));
  cs.push_back(TaskCase("arrow_oom", "arrow-oom", kJvm,
                        Ex("org.apache.arrow.memory.OutOfMemoryException: Unable to allocate "
                           "buffer of size 67108864 due to memory limit. Current allocation: "
                           "1040187392\n\tat org.apache.arrow.memory.BaseAllocator.buffer("
                           "BaseAllocator.java:325)\n")));
  cs.push_back(TaskCase("gpu_oom_rapids", "gpu-oom", kJvm,
                        Ex("com.nvidia.spark.rapids.jni.GpuRetryOOM: GPU OutOfMemory\n"
                           "\tat com.nvidia.spark.rapids.jni.RmmSpark.postAlloc(Native Method)\n"
                           "\tat com.nvidia.spark.rapids.RmmRapidsRetryIterator$."
                           "withRetryNoSplit(RmmRapidsRetryIterator.scala:131)\n")));
  cs.push_back(TaskCase("gpu_oom_message_cudf", "gpu-oom-message", kJvm,
                        Ex("ai.rapids.cudf.CudfException: std::bad_alloc: out_of_memory: RMM "
                           "failure at:/thirdparty/cudf/cpp/build/_deps/rmm-src/include/rmm/mr/"
                           "device/pool_memory_resource.hpp:196: Maximum pool size exceeded\n"
                           "\tat ai.rapids.cudf.Table.concatenate(Native Method)\n")));
  cs.push_back(TaskCase("native_oom", "native-oom", kOom,
                        Ex("java.io.IOException: Cannot run program \"python3\": error=12, "
                           "Cannot allocate memory\n"
                           "\tat java.lang.ProcessBuilder.start(ProcessBuilder.java:1048)\n")));
  cs.push_back(
      TaskCase("python_memory_error", "python-memory-error", kOom, Ex(PythonTrace("MemoryError"))));
  cs.push_back(TaskCase("serialization_invalid_class", "serialization-exception", kSer,
                        Ex("java.io.InvalidClassException: com.example.model.Event; local class "
                           "incompatible: stream classdesc serialVersionUID = 1, local class "
                           "serialVersionUID = 2\n"
                           "\tat java.io.ObjectStreamClass.initNonProxy("
                           "ObjectStreamClass.java:699)\n")));
  cs.push_back(TaskCase("serialization_kryo_3x", "serialization-exception", kSer,
                        Ex("org.apache.spark.SparkException: Kryo serialization failed: Buffer "
                           "overflow. Available: 0, required: 37. To avoid this, increase "
                           "spark.kryoserializer.buffer.max value.\n"
                           "\tat org.apache.spark.serializer.KryoSerializerInstance.serialize("
                           "KryoSerializer.scala:391)\n" +
                           std::string(kTaskFrames3) +
                           "Caused by: com.esotericsoftware.kryo.KryoException: Buffer overflow."
                           " Available: 0, required: 37\n"
                           "\tat com.esotericsoftware.kryo.io.Output.require(Output.java:167)\n"
                           "\t... 4 more\n")));
  cs.push_back(TaskCase("serialization_message_unread_block", "serialization-message", kSer,
                        Ex("java.lang.IllegalStateException: unread block data\n"
                           "\tat java.io.ObjectInputStream$BlockDataInputStream."
                           "setBlockDataMode(ObjectInputStream.java:2783)\n")));
  cs.push_back(
      TaskCase("python_pickle", "python-pickle", kSer,
               Ex(PythonTrace("pickle.PicklingError: Can't pickle <function <lambda> at "
                              "0x7f3a2c>: attribute lookup <lambda> on __main__ failed"))));
  cs.push_back(TaskCase("class_not_found", "class-not-found", kCnf,
                        Ex("java.lang.ClassNotFoundException: com.example.udf.GeoHash\n"
                           "\tat java.net.URLClassLoader.findClass(URLClassLoader.java:382)\n"
                           "\tat java.lang.ClassLoader.loadClass(ClassLoader.java:418)\n")));
  cs.push_back(TaskCase("class_not_found_no_class_def", "class-not-found", kCnf,
                        Ex("java.lang.NoClassDefFoundError: Could not initialize class "
                           "com.example.geo.Index\n"
                           "\tat com.example.geo.Lookup.find(Lookup.scala:21)\n")));
  cs.push_back(TaskCase("linkage_error", "linkage-error", kCnf,
                        Ex("java.lang.NoSuchMethodError: 'com.fasterxml.jackson.core.JsonParser "
                           "com.fasterxml.jackson.core.JsonFactory.createParser(java.io.Reader)'\n"
                           "\tat com.example.ingest.Parser.parse(Parser.scala:33)\n")));
  cs.push_back(TaskCase("python_import_error", "python-import-error", kCnf,
                        Ex(PythonTrace("ModuleNotFoundError: No module named 'pandas'"))));
  cs.push_back(TaskCase("no_space_left_3x", "no-space-left", kDisk,
                        Ex("org.apache.spark.SparkException: Task failed while writing rows.\n" +
                           std::string(kTaskFrames3) +
                           "Caused by: java.io.IOException: No space left on device\n"
                           "\tat java.io.FileOutputStream.writeBytes(Native Method)\n"
                           "\t... 12 more\n")));
  cs.push_back(TaskCase("local_dir_failed", "local-dir-failed", kDisk,
                        Ex("java.io.IOException: Failed to create local dir in "
                           "/mnt/spark/blockmgr-3f2a9c1e-7b7e-4b8f-9a51-0c2d6e1f8a90/0e.\n"
                           "\tat org.apache.spark.storage.DiskBlockManager.getFile("
                           "DiskBlockManager.scala:93)\n")));
  cs.push_back(
      TaskCase("hdfs_exception_safe_mode", "hdfs-exception", kHdfs,
               Ex("org.apache.hadoop.ipc.RemoteException(org.apache.hadoop.hdfs.server."
                  "namenode.SafeModeException): Cannot create file/user/etl/out/"
                  "_temporary/0. Name node is in safe mode.\n"
                  "\tat org.apache.hadoop.ipc.Client.getRpcResponse(Client.java:1562)\n")));
  cs.push_back(TaskCase("hdfs_exception_block_missing", "hdfs-exception", kHdfs,
                        Ex("org.apache.hadoop.hdfs.BlockMissingException: Could not obtain "
                           "block: BP-1234-10.0.0.1-1600000000000:blk_1073741825_1001 "
                           "file=/data/events/part-00000.parquet\n"
                           "\tat org.apache.hadoop.hdfs.DFSInputStream.refetchLocations("
                           "DFSInputStream.java:875)\n")));
  cs.push_back(TaskCase("hadoop_exception_access", "hadoop-exception", kHdfs,
                        Ex("org.apache.hadoop.security.AccessControlException: Permission denied:"
                           " user=spark, access=WRITE, inode=\"/warehouse\":hive:hive:drwxr-xr-x\n"
                           "\tat org.apache.hadoop.hdfs.server.namenode.FSPermissionChecker."
                           "check(FSPermissionChecker.java:399)\n")));
  cs.push_back(
      TaskCase("hdfs_message_filesystem_closed", "hdfs-message", kHdfs,
               Ex("java.io.IOException: Filesystem closed\n"
                  "\tat org.apache.hadoop.hdfs.DFSClient.checkOpen(DFSClient.java:476)\n")));
  cs.push_back(TaskCase("shuffle_file_missing", "shuffle-file-missing", kFetch,
                        Ex("java.io.FileNotFoundException: /mnt/spark/blockmgr-5b1c2d3e/0c/"
                           "shuffle_3_17_0.data (No such file or directory)\n"
                           "\tat java.io.FileInputStream.open0(Native Method)\n")));
  cs.push_back(TaskCase("hdfs_file_not_found_3x", "hdfs-file-not-found", kHdfs,
                        Ex("java.io.FileNotFoundException: \nFile does not exist: hdfs://nn1:8020/"
                           "data/events/dt=2024-03-01/part-00042.parquet\n\nIt is possible the "
                           "underlying files have been updated. You can explicitly invalidate the "
                           "cache in Spark by running 'REFRESH TABLE tableName' command in SQL or "
                           "by recreating the Dataset/DataFrame involved.\n"
                           "\tat org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1."
                           "nextIterator(FileScanRDD.scala:124)\n")));
  cs.push_back(TaskCase("file_not_found_s3a", "file-not-found", kHdfs,
                        Ex("java.io.FileNotFoundException: No such file or directory: "
                           "s3a://lake/events/part-00001.parquet\n"
                           "\tat org.apache.hadoop.fs.s3a.S3AFileSystem.s3GetFileStatus("
                           "S3AFileSystem.java:3356)\n")));
  cs.push_back(
      TaskCase("network_unknown_host_24", "network-exception", kNet,
               ExNoTrace("java.net.UnknownHostException", "nn-ha-1.internal",
                         {{"java.net.InetAddress", "getAllByName0", "InetAddress.java", 1281}})));
  cs.push_back(TaskCase("network_connect_refused", "network-exception", kNet,
                        Ex("java.net.ConnectException: Connection refused (Connection refused)\n"
                           "\tat java.net.PlainSocketImpl.socketConnect(Native Method)\n")));
  cs.push_back(TaskCase("network_socket_timeout", "network-exception", kNet,
                        Ex("java.net.SocketTimeoutException: Read timed out\n"
                           "\tat java.net.SocketInputStream.socketRead0(Native Method)\n")));
  cs.push_back(TaskCase("network_message_reset", "network-message", kNet,
                        Ex("java.io.IOException: Connection reset by peer\n"
                           "\tat sun.nio.ch.FileDispatcherImpl.read0(Native Method)\n")));
  cs.push_back(TaskCase("python_network_error", "python-network-error", kNet,
                        Ex(PythonTrace("requests.exceptions.ConnectionError: HTTPSConnectionPool("
                                       "host='api.example.com', port=443): Max retries exceeded "
                                       "with url: /v1/geo"))));
  cs.push_back(TextCase("result_too_large_job", "result-too-large", kResult,
                        "Job aborted due to stage failure: Total size of serialized results of "
                        "3979 tasks (1024.2 MiB) is bigger than spark.driver.maxResultSize "
                        "(1024.0 MiB)"));
  cs.push_back(TaskCase("timeout_exception", "timeout-exception", kTimeout,
                        Ex("java.util.concurrent.TimeoutException: Futures timed out after [300 "
                           "seconds]\n\tat scala.concurrent.impl.Promise$DefaultPromise.ready("
                           "Promise.scala:259)\n")));
  cs.push_back(TaskCase("bad_input_format_csv_3x", "bad-input-format", kUser,
                        Ex("org.apache.spark.SparkException: Malformed records are detected in "
                           "record parsing. Parse Mode: FAILFAST. To process malformed records as"
                           " null result, try setting the option 'mode' as 'PERMISSIVE'.\n"
                           "\tat org.apache.spark.sql.errors.QueryExecutionErrors$."
                           "malformedRecordsDetectedInRecordParsingError("
                           "QueryExecutionErrors.scala:1417)\n")));
  cs.push_back(TaskCase("user_data_divide_by_zero_4x", "user-data-exception", kUser,
                        Ex("org.apache.spark.SparkArithmeticException: [DIVIDE_BY_ZERO] Division "
                           "by zero. Use `try_divide` to tolerate divisor being 0 and return NULL "
                           "instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to "
                           "bypass this error. SQLSTATE: 22012\n"
                           "== SQL (line 1, position 8) ==\nselect amount / qty from orders\n"
                           "       ^^^^^^^^^^^^\n\n"
                           "\tat org.apache.spark.sql.errors.QueryExecutionErrors$."
                           "divideByZeroError(QueryExecutionErrors.scala:203)\n" +
                           std::string(kTaskFrames4))));
  cs.push_back(TaskCase("user_data_number_format_24", "user-data-exception", kUser,
                        ExNoTrace("java.lang.NumberFormatException", "For input string: \"12a\"",
                                  {{"java.lang.NumberFormatException", "forInputString",
                                    "NumberFormatException.java", 65},
                                   {"com.example.etl.Amounts$", "parse", "Amounts.scala", 17}})));
  cs.push_back(TaskCase("user_data_cast_invalid_4x", "user-data-exception", kUser,
                        Ex("org.apache.spark.SparkNumberFormatException: [CAST_INVALID_INPUT] The "
                           "value 'abc' of the type \"STRING\" cannot be cast to \"INT\" because "
                           "it is malformed. SQLSTATE: 22018\n"
                           "\tat org.apache.spark.sql.errors.QueryExecutionErrors$."
                           "invalidInputInCastToNumberError(QueryExecutionErrors.scala:145)\n")));
  cs.push_back(TaskCase("user_data_error_class_4x", "user-data-error-class", kUser,
                        Ex("org.apache.spark.SparkRuntimeException: [NULL_MAP_KEY] Cannot use "
                           "null as map key. SQLSTATE: 2200E\n"
                           "\tat org.apache.spark.sql.errors.QueryExecutionErrors$."
                           "nullAsMapKeyNotAllowedError(QueryExecutionErrors.scala:456)\n")));
  cs.push_back(TaskCase("user_data_weak_npe_4x", "user-data-weak", kUser,
                        Ex("java.lang.NullPointerException: Cannot invoke \"String.length()\" "
                           "because \"s\" is null\n"
                           "\tat com.example.etl.Clean$.trimAll(Clean.scala:12)\n" +
                           std::string(kTaskFrames4))));
  cs.push_back(TaskCase("python_user_error_3x", "python-user-error", kUser,
                        Ex(PythonTrace("ValueError: invalid literal for int() with base 10: "
                                       "'N/A'"))));
  {
    // PySpark 4.x on Python 3.11: simplified traceback with caret lines.
    TaskFailure f =
        Ex("org.apache.spark.api.python.PythonException: Traceback (most recent call last):\n"
           "  File \"/app/jobs/clean.py\", line 42, in parse_amount\n"
           "    return int(raw)\n"
           "           ^^^^^^^^\n"
           "ValueError: invalid literal for int() with base 10: 'N/A'\n\n" +
           std::string(kTaskFrames4));
    cs.push_back(TaskCase("python_user_error_4x", "python-user-error", kUser, f));
  }
  cs.push_back(TaskCase("python_exception_truncated", "python-exception", kPy,
                        Ex("org.apache.spark.api.python.PythonException: Traceback (most recent "
                           "call last):\n"
                           "  File \"/opt/spark/python/lib/pyspark.zip/pyspark/worker.py\", line "
                           "619, in main\n\n"
                           "\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator."
                           "handlePythonException(PythonRunner.scala:545)\n")));

  // -- conditions in code ---------------------------------------------------------------------
  {
    Case c = TaskCase("app_package_exception", "app-package-exception", kUser,
                      Ex("com.example.etl.BadRecordException: record 17 has no id\n"
                         "\tat com.example.etl.Validate$.check(Validate.scala:30)\n" +
                         std::string(kTaskFrames3)));
    c.app_packages = {"com.example."};
    cs.push_back(c);
  }
  cs.push_back(TaskCase("non_framework_exception", "non-framework-exception", kUser,
                        Ex("com.acme.pipeline.ValidationException: column amount is negative\n"
                           "\tat com.acme.pipeline.Rules.apply(Rules.java:88)\n" +
                           std::string(kTaskFrames3))));
  cs.push_back(TaskCase("thrown_in_app_code_repl", "thrown-in-app-code", kUser,
                        Ex("java.lang.RuntimeException: bad exec\n"
                           "\tat $line16.$read$$iw$$iw$$anonfun$1.apply$mcII$sp(<console>:26)\n"
                           "\tat scala.collection.Iterator$$anon$11.next(Iterator.scala:409)\n" +
                           std::string(kTaskFrames3))));

  // -- the whole text -------------------------------------------------------------------------
  cs.push_back(TextCase("stage_cancelled_text_shutdown", "stage-cancelled-text", kCancel,
                        "Job 79 cancelled because SparkContext was shut down"));
  cs.push_back(TextCase("stage_cancelled_text_group", "stage-cancelled-text", kCancel,
                        "Job 12 cancelled part of cancelled job group nightly-etl"));
  cs.push_back(
      TextCase("lost_executor_text", "lost-executor-text", kLost, "Executor Process Lost"));
  cs.push_back(TextCase("shuffle_text", "shuffle-text", kFetch,
                        "Failed to fetch block shuffle_3_4_5 from executor 7 after 3 retries"));
  cs.push_back(
      TextCase("oom_text", "oom-text", kOom, "Driver ran out of memory while planning the query"));
  cs.push_back(TextCase("timeout_text", "timeout-text", kTimeout,
                        "Timed out waiting for the external catalog to respond"));
  cs.push_back(TextCase("speculation_loser_text", "speculation-loser", kSpec,
                        "Killing attempt 1 of task 3: another attempt succeeded"));
  return cs;
}

class RuleCaseTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() { classifier_ = Classifier::Create().release(); }
  static void TearDownTestSuite() { delete classifier_; }
  static Classifier* classifier_;
};
Classifier* RuleCaseTest::classifier_ = nullptr;

Classification RunCase(const Classifier& c, const Case& k) {
  if (!k.task) return c.ClassifyText(k.text);
  ClassifyContext ctx;
  ctx.app_packages = k.app_packages;
  if (k.remove_reason) ctx.executor_remove_reason = &*k.remove_reason;
  return c.ClassifyTask(*k.task, ctx);
}

TEST_P(RuleCaseTest, DecidesTheExpectedRuleAndClass) {
  const Case& k = GetParam();
  Classification got = RunCase(*classifier_, k);
  EXPECT_EQ(got.rule, k.rule) << "root cause: " << got.root_cause << "\nevidence: " << got.evidence;
  EXPECT_STREQ(FailureClassName(got.cls), FailureClassName(k.cls));
  EXPECT_FALSE(got.root_cause.empty());
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleCaseTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

TEST(RuleCoverage, EveryRuleHasACase) {
  std::set<std::string> covered;
  for (const Case& c : AllCases()) covered.insert(c.rule);
  for (const Rule& r : Rules()) EXPECT_TRUE(covered.count(std::string(r.id))) << r.id;
}

// ---------------------------------------------------------------------------------------------
// Precedence: structured fields beat text; dominant exceptions beat deeper causes.

class ClassifierTest : public ::testing::Test {
 protected:
  std::unique_ptr<Classifier> c_ = Classifier::Create();
  ClassifyContext ctx_;
};

TEST_F(ClassifierTest, FetchFailedEndKindBeatsItsNetworkRootCause) {
  TaskFailure f = Fetch(
      "org.apache.spark.shuffle.FetchFailedException: Connection reset by peer\n"
      "\tat org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
      "ShuffleBlockFetcherIterator.scala:770)\n"
      "Caused by: java.io.IOException: Connection reset by peer\n"
      "\tat sun.nio.ch.FileDispatcherImpl.read0(Native Method)\n");
  Classification got = c_->ClassifyTask(f, ctx_);
  EXPECT_EQ(got.cls, FailureClass::kShuffleFetch);
  EXPECT_EQ(got.rule, "fetch-failed");
  EXPECT_EQ(got.root_cause, "java.io.IOException: Connection reset by peer");
  EXPECT_NE(got.evidence.find("executor 3"), std::string::npos) << got.evidence;
}

TEST_F(ClassifierTest, LossReasonTextDoesNotFallIntoExceptionRules) {
  // A network word in a loss reason: still an executor loss, not a transient network error.
  Classification got = c_->ClassifyTask(Lost("Connection reset by peer"), ctx_);
  EXPECT_EQ(got.cls, FailureClass::kExecutorLost);
  EXPECT_EQ(got.rule, "executor-lost");
}

TEST_F(ClassifierTest, OomKilledBeatsBareExit137) {
  Classification got = c_->ClassifyTask(Lost(K8sExit(137, "OOMKilled", "N/A", "N/A")), ctx_);
  EXPECT_EQ(got.rule, "k8s-oomkilled");
  EXPECT_EQ(got.confidence, Confidence::kHigh);
  EXPECT_EQ(got.root_cause,
            "The executor with id 7 exited with exit code 137(SIGKILL, possible container OOM).");
}

TEST_F(ClassifierTest, RemoveReasonSharpensAGenericLossReason) {
  std::string removed = K8sExit(137, "OOMKilled", "N/A", "N/A");
  ctx_.executor_remove_reason = &removed;
  Classification got = c_->ClassifyTask(Lost("Executor Process Lost"), ctx_);
  EXPECT_EQ(got.cls, FailureClass::kContainerOomKilled);
  EXPECT_NE(got.evidence.find("exit code 137"), std::string::npos) << got.evidence;
}

TEST_F(ClassifierTest, ExitCausedByAppFalseIsEvidenceNotAClassChange) {
  Classification by_app = c_->ClassifyTask(Lost(YarnExit(137), true), ctx_);
  Classification not_app = c_->ClassifyTask(Lost(YarnExit(137), false), ctx_);
  EXPECT_EQ(by_app.cls, not_app.cls);
  EXPECT_EQ(by_app.rule, not_app.rule);
  EXPECT_EQ(by_app.confidence, not_app.confidence);
  EXPECT_NE(not_app.evidence.find("Exit Caused By App=false"), std::string::npos);
  EXPECT_NE(by_app.evidence.find("Exit Caused By App=true"), std::string::npos);
}

TEST_F(ClassifierTest, DeepestCauseBeatsTheWrapper) {
  // A SparkException wrapping an OutOfMemoryError is a JVM OOM.
  TaskFailure f =
      Ex("org.apache.spark.SparkException: Exception thrown in awaitResult: \n"
         "\tat org.apache.spark.util.ThreadUtils$.awaitResult(ThreadUtils.scala:301)\n"
         "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
         "\tat java.util.Arrays.copyOf(Arrays.java:3236)\n");
  EXPECT_EQ(c_->ClassifyTask(f, ctx_).cls, FailureClass::kJvmOom);
  // The application's own exception wrapping a refused connection is a network error.
  TaskFailure g =
      Ex("com.example.sink.SinkException: could not write batch 7\n"
         "\tat com.example.sink.Writer.flush(Writer.scala:55)\n"
         "Caused by: java.net.ConnectException: Connection refused\n"
         "\tat java.net.PlainSocketImpl.socketConnect(Native Method)\n");
  Classification got = c_->ClassifyTask(g, ctx_);
  EXPECT_EQ(got.cls, FailureClass::kTransientNetwork);
  EXPECT_EQ(got.root_cause, "java.net.ConnectException: Connection refused");
}

TEST_F(ClassifierTest, DominantExceptionsBeatDeeperCauses) {
  // The Python worker's socket reset is a symptom of the crash, not a network error.
  TaskFailure f =
      Ex("org.apache.spark.SparkException: Python worker exited unexpectedly (crashed)\n"
         "\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator$$anonfun$1"
         ".applyOrElse(PythonRunner.scala:550)\n"
         "Caused by: java.net.SocketException: Connection reset\n"
         "\tat java.net.SocketInputStream.read(SocketInputStream.java:210)\n");
  EXPECT_EQ(c_->ClassifyTask(f, ctx_).cls, FailureClass::kPythonWorkerCrash);
  // An RPC ask timeout wraps a TimeoutException: it is the network, not a task timeout.
  TaskFailure g =
      Ex("org.apache.spark.rpc.RpcTimeoutException: Futures timed out after [10 "
         "seconds]. This timeout is controlled by spark.executor.heartbeatInterval\n"
         "Caused by: java.util.concurrent.TimeoutException: Futures timed out after "
         "[10 seconds]\n");
  EXPECT_EQ(c_->ClassifyTask(g, ctx_).rule, "rpc-timeout");
}

TEST_F(ClassifierTest, PythonErrorsAreClassifiedByTheirType) {
  EXPECT_EQ(c_->ClassifyTask(Ex(PythonTrace("ZeroDivisionError: division by zero")), ctx_).cls,
            FailureClass::kUserCodeData);
  EXPECT_EQ(c_->ClassifyTask(Ex(PythonTrace("MemoryError")), ctx_).cls, FailureClass::kOutOfMemory);
  EXPECT_EQ(
      c_->ClassifyTask(Ex(PythonTrace("ImportError: cannot import name 'x' from 'y'")), ctx_).cls,
      FailureClass::kClassNotFound);
  Classification got = c_->ClassifyTask(Ex(PythonTrace("KeyError: 'customer_id'")), ctx_);
  EXPECT_EQ(got.root_cause, "KeyError: 'customer_id'");
  EXPECT_NE(got.evidence.find("KeyError (Python)"), std::string::npos) << got.evidence;
}

TEST_F(ClassifierTest, AppPackagesReplaceTheFrameworkHeuristic) {
  TaskFailure f =
      Ex("com.acme.pipeline.ValidationException: column amount is negative\n"
         "\tat com.acme.pipeline.Rules.apply(Rules.java:88)\n");
  ctx_.app_packages = {"org.example."};  // com.acme is then a third-party library
  Classification got = c_->ClassifyTask(f, ctx_);
  EXPECT_EQ(got.cls, FailureClass::kUnknown);
  EXPECT_EQ(got.rule, "");
  ctx_.app_packages = {"com.acme."};
  got = c_->ClassifyTask(f, ctx_);
  EXPECT_EQ(got.rule, "app-package-exception");
  EXPECT_EQ(got.confidence, Confidence::kHigh);
}

TEST_F(ClassifierTest, FrameworkExceptionFromFrameworkCodeIsUnknown) {
  TaskFailure f =
      Ex("java.lang.IllegalStateException: Cannot call methods on a stopped "
         "SparkContext.\n"
         "\tat org.apache.spark.SparkContext.assertNotStopped(SparkContext.scala:118)\n");
  Classification got = c_->ClassifyTask(f, ctx_);
  EXPECT_EQ(got.cls, FailureClass::kUnknown);
  EXPECT_EQ(got.root_cause,
            "java.lang.IllegalStateException: Cannot call methods on a stopped SparkContext.");
}

TEST_F(ClassifierTest, EndsThatAreNotFailuresOrHaveNoReason) {
  EXPECT_EQ(c_->ClassifyTask(Kind(TaskEndKind::kUnknownReason), ctx_).cls, FailureClass::kUnknown);
  TaskFailure other = Kind(TaskEndKind::kOther);
  other.raw_reason = "SomeFutureReason";
  EXPECT_EQ(c_->ClassifyTask(other, ctx_).cls, FailureClass::kUnknown);
  other.raw_reason = "TaskOutOfMemory";
  EXPECT_EQ(c_->ClassifyTask(other, ctx_).cls, FailureClass::kOutOfMemory);
}

TEST_F(ClassifierTest, IsThreadSafe) {
  std::vector<Case> cases = AllCases();
  std::vector<std::string> expected;
  for (const Case& k : cases) expected.push_back(RunCase(*c_, k).rule);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < cases.size(); ++i) {
          if (RunCase(*c_, cases[i]).rule != expected[i]) ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(ClassifierTest, CutTextsNeverBreakParsing) {
  // Every case's text cut at many points (as a truncated log or a 4.x message limit would):
  // classification and the representative message must cope with any prefix.
  for (const Case& k : AllCases()) {
    std::string text = k.task ? k.task->ErrorString() : k.text;
    for (size_t n = 0; n <= text.size(); n += 1 + n / 16) {
      std::string cut = text.substr(0, n);
      Classification t = c_->ClassifyText(cut);
      TaskFailure f = Ex(cut);
      f.description = cut.substr(0, 40);
      Classification e = c_->ClassifyTask(f, ctx_);
      EXPECT_EQ(t.rule.empty(), t.cls == FailureClass::kUnknown);
      EXPECT_EQ(e.rule.empty(), e.cls == FailureClass::kUnknown);
      RepresentativeMessage(f, 3);
      ParseChain(cut);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ClassifyText: stage and job failure reasons, executor-removed reasons.

TEST_F(ClassifierTest, JobAbortWithEmbeddedExecutorLost3x) {
  Classification got = c_->ClassifyText(
      "Job aborted due to stage failure: Task 3 in stage 5.0 failed 4 times, most recent failure: "
      "Lost task 3.3 in stage 5.0 (TID 123) (10.1.2.3 executor 7): ExecutorLostFailure (executor "
      "7 exited caused by one of the running tasks) Reason: Container killed by YARN for "
      "exceeding physical memory limits. 10.4 GB of 10.4 GB physical memory used. Consider "
      "boosting spark.executor.memoryOverhead.\nDriver stacktrace:");
  EXPECT_EQ(got.cls, FailureClass::kContainerOomKilled);
  EXPECT_EQ(got.rule, "yarn-memory-limit");
}

TEST_F(ClassifierTest, JobAbortWithEmbeddedException24) {
  Classification got = c_->ClassifyText(
      "Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 times, most recent "
      "failure: Lost task 0.3 in stage 1.0 (TID 7, ip-10-0-0-5.ec2.internal, executor 2): "
      "java.lang.OutOfMemoryError: Java heap space\n\tat "
      "java.util.Arrays.copyOf(Arrays.java:3236)\n"
      "\nDriver stacktrace:\n\tat "
      "org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages"
      "(DAGScheduler.scala:1887)\n");
  EXPECT_EQ(got.cls, FailureClass::kJvmOom);
  EXPECT_EQ(got.root_cause, "java.lang.OutOfMemoryError: Java heap space");
}

TEST_F(ClassifierTest, StageFailedMaximumAttempts4x) {
  Classification got = c_->ClassifyText(
      "Job aborted due to stage failure: ShuffleMapStage 9 (map at Etl.scala:88) has failed the "
      "maximum allowable number of times: 4. Most recent failure reason:\n"
      "org.apache.spark.shuffle.FetchFailedException: Failed to connect to "
      "worker-3.example.com/10.0.0.3:7337\n"
      "\tat org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
      "ShuffleBlockFetcherIterator.scala:1239)\n"
      "Caused by: java.net.ConnectException: Connection refused\n");
  EXPECT_EQ(got.cls, FailureClass::kShuffleFetch);
  EXPECT_EQ(got.rule, "fetch-failed-exception");
}

TEST_F(ClassifierTest, EmbeddedTaskKilledAndFetchFailedForms) {
  EXPECT_EQ(c_->ClassifyText("TaskKilled (another attempt succeeded)").cls,
            FailureClass::kSpeculativeDuplicate);
  EXPECT_EQ(c_->ClassifyText("Lost task 1.0 in stage 4.0 (TID 9) (host-1 executor 2): "
                             "FetchFailed(BlockManagerId(3, host-3, 7337, None), shuffleId=4, "
                             "mapIndex=18, mapId=118, reduceId=77, message=\n"
                             "org.apache.spark.shuffle.FetchFailedException: Connection reset\n)")
                .rule,
            "fetch-failed");
  EXPECT_EQ(c_->ClassifyText("TaskCommitDenied (Driver denied task commit) for job: 3, "
                             "partition: 7, attemptNumber: 1")
                .cls,
            FailureClass::kCommitDenied);
}

TEST_F(ClassifierTest, ExecutorRemovedReasons) {
  EXPECT_EQ(c_->ClassifyText(K8sExit(137, "OOMKilled", "N/A", "N/A")).rule, "k8s-oomkilled");
  EXPECT_EQ(c_->ClassifyText("Executor heartbeat timed out after 125532 ms").cls,
            FailureClass::kTaskTimeoutKill);
  EXPECT_EQ(c_->ClassifyText("Executor decommission: worker decommissioned").cls,
            FailureClass::kExecutorDecommission);
  Classification none = c_->ClassifyText("something nobody has seen before");
  EXPECT_EQ(none.cls, FailureClass::kUnknown);
  EXPECT_EQ(none.rule, "");
  EXPECT_EQ(none.root_cause, "something nobody has seen before");
}

// ---------------------------------------------------------------------------------------------
// Root-cause extraction.

TEST(ExceptionChain, UnwindsCausesAndFindsTheRoot) {
  std::vector<ChainEntry> chain = ParseChain(
      "org.apache.spark.SparkException: Exception thrown in awaitResult: \n"
      "\tat org.apache.spark.util.ThreadUtils$.awaitResult(ThreadUtils.scala:301)\n"
      "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:337)\n"
      "Caused by: java.io.IOException: Could not read footer for file: FileStatus{path=file:/x}\n"
      "\tat org.apache.spark.util.ThreadUtils$.$anonfun$parmap$2(ThreadUtils.scala:372)\n"
      "Caused by: java.lang.RuntimeException: file:/x is not a Parquet file. expected magic "
      "number at tail [80, 65, 82, 49] but found [79, 82, 67, 23]\n"
      "\tat org.apache.parquet.hadoop.ParquetFileReader.readFooter(ParquetFileReader.java:524)\n"
      "\t... 13 more\n\nDriver stacktrace:\n\tat org.apache.spark.Foo.bar(Foo.scala:1)\n");
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[0].cls, "org.apache.spark.SparkException");
  EXPECT_EQ(chain[0].message, "Exception thrown in awaitResult:");
  EXPECT_EQ(chain[0].frames.size(), 2u);
  EXPECT_EQ(chain[1].cls, "java.io.IOException");
  EXPECT_EQ(chain[2].cls, "java.lang.RuntimeException");
  EXPECT_EQ(chain[2].elided, 13);
  EXPECT_EQ(chain[2].frames.size(), 1u);
  EXPECT_EQ(classify::RootIndex(chain), 2u);
  EXPECT_EQ(chain[2].Headline(),
            "java.lang.RuntimeException: file:/x is not a Parquet file. expected magic number at "
            "tail [80, 65, 82, 49] but found [79, 82, 67, 23]");
}

TEST(ExceptionChain, RootSkipsCausesWithoutAMessage) {
  std::vector<ChainEntry> chain = ParseChain(
      "org.apache.spark.SparkException: Python worker exited unexpectedly (crashed)\n"
      "\tat a.b.C.d(C.scala:1)\nCaused by: java.io.EOFException\n\tat a.b.C.e(C.java:2)\n");
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(classify::RootIndex(chain), 0u);
}

TEST(ExceptionChain, MultiLineMessagesSuppressedAndRemoteExceptions) {
  std::vector<ChainEntry> chain = ParseChain(
      "java.io.FileNotFoundException: \nFile does not exist: hdfs://nn/x\n\nIt is possible ...\n"
      "\tat a.b.C.d(C.scala:1)\n"
      "\tSuppressed: java.lang.IllegalStateException: close failed\n"
      "\t\tat a.b.C.close(C.scala:9)\n"
      "\t\tCaused by: java.lang.Error: inner\n"
      "Caused by: org.apache.hadoop.ipc.RemoteException(org.apache.hadoop.hdfs.server.namenode."
      "SafeModeException): Name node is in safe mode.\n"
      "\tat org.apache.hadoop.ipc.Client.call(Client.java:1)\n");
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].message, "\nFile does not exist: hdfs://nn/x\n\nIt is possible ...");
  EXPECT_EQ(chain[0].frames.size(), 1u);
  EXPECT_EQ(chain[1].cls,
            "org.apache.hadoop.ipc.RemoteException(org.apache.hadoop.hdfs.server.namenode."
            "SafeModeException)");
  EXPECT_EQ(chain[0].Headline(), "java.io.FileNotFoundException: File does not exist: hdfs://nn/x")
      << "a message that starts on the next line shows its first non-empty line";
}

TEST(ExceptionChain, PythonTracebackBecomesTheDeepestCause) {
  std::vector<ChainEntry> chain = ParseChain(PythonTrace("ValueError: bad 'x'"));
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[1].cls, "python.ValueError");
  EXPECT_EQ(chain[1].DisplayClass(), "ValueError");
  EXPECT_EQ(chain[1].message, "bad 'x'");
  ASSERT_EQ(chain[1].frames.size(), 3u);
  EXPECT_EQ(chain[1].frames[0], "File \"/app/jobs/clean.py\", line 42, in parse_amount");
  EXPECT_EQ(classify::RootIndex(chain), 1u);
  EXPECT_EQ(chain[0].frames.size(), 13u);  // JVM frames of the PythonException itself
}

TEST(ExceptionChain, NotAStackTrace) {
  EXPECT_TRUE(ParseChain("Executor Process Lost").empty());
  EXPECT_TRUE(ParseChain("FetchFailed(null, shuffleId=1, mapIndex=2)").empty());
  EXPECT_TRUE(ParseChain("").empty());
}

TEST(ExceptionChain, FramesAndApplicationCode) {
  EXPECT_EQ(classify::FrameClass("java.base/java.lang.Thread.run(Thread.java:840)"),
            "java.lang.Thread");
  EXPECT_EQ(classify::FrameClass("app//com.example.Job$.main(Job.scala:12)"), "com.example.Job$");
  EXPECT_TRUE(
      classify::IsFrameworkClass("org.apache.spark.sql.catalyst.expressions."
                                 "GeneratedClass$GeneratedIteratorForCodegenStage1"));
  EXPECT_FALSE(classify::IsFrameworkClass("$line16.$read$$iw$$iw$$anonfun$1"));
  EXPECT_TRUE(classify::IsAppClass("com.example.Job", {}));
  EXPECT_FALSE(classify::IsAppClass("com.example.Job", {"org.acme."}));
  EXPECT_FALSE(classify::IsAppClass("python.ValueError", {}));
  EXPECT_TRUE(classify::IsAppFrame("File \"/app/jobs/clean.py\", line 42, in f", true, {}));
  EXPECT_FALSE(classify::IsAppFrame(
      "File \"/opt/spark/python/lib/pyspark.zip/pyspark/worker.py\", line 619, in main", true, {}));
}

TEST(ExceptionChain, ChainOfWithoutFullStackTrace) {
  TaskFailure f = ExNoTrace("java.lang.NumberFormatException", "For input string: \"x\"",
                            {{"com.example.A", "parse", "A.scala", 3},
                             {"org.apache.spark.rdd.RDD", "iterator", std::nullopt, 337}});
  std::vector<ChainEntry> chain = classify::ChainOf(f);
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_EQ(chain[0].frames[0], "com.example.A.parse(A.scala:3)");
  EXPECT_EQ(chain[0].frames[1], "org.apache.spark.rdd.RDD.iterator(Unknown Source:337)");
}

// ---------------------------------------------------------------------------------------------
// RepresentativeMessage.

TEST(RepresentativeMessage, RootCauseFirstThenTopThenChosenFrames) {
  TaskFailure f =
      Ex("org.apache.spark.SparkException: Task failed while writing rows.\n"
         "\tat org.apache.spark.sql.execution.datasources.FileFormatWriter$.executeTask("
         "FileFormatWriter.scala:296)\n"
         "\tat com.example.etl.Writer.write(Writer.scala:40)\n"
         "\tat org.apache.spark.scheduler.Task.run(Task.scala:131)\n"
         "\tat com.example.etl.Main$.run(Main.scala:12)\n"
         "Caused by: java.lang.ArithmeticException: / by zero\n"
         "\tat com.example.etl.Ratios$.ratio(Ratios.scala:9)\n"
         "\tat scala.collection.Iterator$$anon$10.next(Iterator.scala:461)\n"
         "\tat com.example.etl.Ratios$.all(Ratios.scala:20)\n"
         "\t... 3 more\n");
  std::string got = RepresentativeMessage(f);
  EXPECT_EQ(got,
            "java.lang.ArithmeticException: / by zero\n"
            "org.apache.spark.SparkException: Task failed while writing rows.\n"
            "\tat com.example.etl.Ratios$.ratio(Ratios.scala:9)\n"
            "\tat com.example.etl.Ratios$.all(Ratios.scala:20)\n"
            "\tat com.example.etl.Writer.write(Writer.scala:40)\n"
            "\tat com.example.etl.Main$.run(Main.scala:12)");
  EXPECT_EQ(got.find("more"), std::string::npos);
  EXPECT_EQ(RepresentativeMessage(f, 2),
            "java.lang.ArithmeticException: / by zero\n"
            "org.apache.spark.SparkException: Task failed while writing rows.\n"
            "\tat com.example.etl.Ratios$.ratio(Ratios.scala:9)\n"
            "\tat com.example.etl.Ratios$.all(Ratios.scala:20)");
  EXPECT_EQ(RepresentativeMessage(f, 0),
            "java.lang.ArithmeticException: / by zero\n"
            "org.apache.spark.SparkException: Task failed while writing rows.");
}

TEST(RepresentativeMessage, FirstFrameIsKeptEvenWhenItIsFramework) {
  TaskFailure f =
      Ex("java.lang.OutOfMemoryError: Java heap space\n"
         "\tat java.util.Arrays.copyOf(Arrays.java:3236)\n"
         "\tat java.io.ByteArrayOutputStream.grow(ByteArrayOutputStream.java:118)\n" +
         std::string(kTaskFrames3));
  EXPECT_EQ(RepresentativeMessage(f),
            "java.lang.OutOfMemoryError: Java heap space\n"
            "\tat java.util.Arrays.copyOf(Arrays.java:3236)");
}

TEST(RepresentativeMessage, PythonErrorFirst) {
  TaskFailure f = Ex(PythonTrace("ValueError: invalid literal for int() with base 10: 'N/A'"));
  EXPECT_EQ(RepresentativeMessage(f),
            "ValueError: invalid literal for int() with base 10: 'N/A'\n"
            "org.apache.spark.api.python.PythonException: Traceback (most recent call last):\n"
            "\tFile \"/app/jobs/clean.py\", line 42, in parse_amount");
}

TEST(RepresentativeMessage, LossReasonWithAYarnStackTrace) {
  TaskFailure f = Lost(YarnExit(56));
  EXPECT_EQ(RepresentativeMessage(f),
            "ExecutorLostFailure (executor 7 exited caused by one of the running tasks) Reason: "
            "Container marked as failed: container_e12_1699999999999_0042_01_000004 on host: "
            "worker-12.example.com. Exit status: 56. Diagnostics: Exception from "
            "container-launch.\n"
            "Container id: container_e12_1699999999999_0042_01_000004\n"
            "Exit code: 56\n"
            "Stack trace: ExitCodeException exitCode=56: \n"
            "\tat org.apache.hadoop.util.Shell.runCommand(Shell.java:601)\n"
            "Container exited with a non-zero exit code 56");
}

TEST(RepresentativeMessage, FetchFailedAndKilled) {
  TaskFailure f = Fetch(
      "org.apache.spark.shuffle.FetchFailedException: Failed to connect to x\n"
      "\tat org.apache.spark.storage.ShuffleBlockFetcherIterator."
      "throwFetchFailedException(ShuffleBlockFetcherIterator.scala:770)\n"
      "Caused by: java.net.ConnectException: Connection refused\n");
  EXPECT_EQ(RepresentativeMessage(f),
            "java.net.ConnectException: Connection refused\n"
            "org.apache.spark.shuffle.FetchFailedException: Failed to connect to x\n"
            "\tat org.apache.spark.storage.ShuffleBlockFetcherIterator.throwFetchFailedException("
            "ShuffleBlockFetcherIterator.scala:770)");
  EXPECT_EQ(RepresentativeMessage(Killed("another attempt succeeded")),
            "TaskKilled (another attempt succeeded)");
}

// ---------------------------------------------------------------------------------------------
// Executor-log lines.

TEST_F(ClassifierTest, MatchLogLineNamesEveryMatchingRule) {
  auto ids = [&](std::string_view line) {
    std::vector<std::string_view> v = c_->MatchLogLine(line);
    return std::set<std::string_view>(v.begin(), v.end());
  };
  using S = std::set<std::string_view>;
  EXPECT_EQ(ids("24/03/02 10:11:12 INFO Executor: Running task 3.0 in stage 5.0 (TID 40)"), S{});
  EXPECT_EQ(ids("24/03/02 10:11:12 ERROR Executor: Exception in task 3.0 in stage 5.0 (TID 40)"),
            S{});
  EXPECT_EQ(ids("java.lang.OutOfMemoryError: Java heap space"), (S{"jvm-oom", "oom-text"}));
  EXPECT_EQ(ids("Caused by: java.net.ConnectException: Connection refused"),
            (S{"network-exception", "network-message"}));
  EXPECT_EQ(ids("org.apache.spark.shuffle.FetchFailedException: Failed to connect to "
                "worker-3/10.0.0.3:7337"),
            (S{"fetch-failed-exception", "network-message", "shuffle-text"}));
  EXPECT_EQ(ids("java.lang.ClassNotFoundException: com.example.udf.GeoHash"),
            (S{"class-not-found"}));
  EXPECT_EQ(ids("java.io.IOException: NO SPACE LEFT ON DEVICE"), (S{"no-space-left"}));
  EXPECT_EQ(ids("24/03/02 10:11:12 ERROR DiskBlockManager: Failed to create local dir in "
                "/mnt/spark. Ignoring this directory."),
            (S{"local-dir-failed"}));
  EXPECT_EQ(ids("24/03/02 10:11:12 WARN Executor: Issue communicating with driver in heartbeater"),
            (S{"heartbeat-timeout"}));
  EXPECT_EQ(ids("24/03/02 10:11:12 INFO Executor: Executor is trying to kill task 3.1 in stage "
                "0.0 (TID 4), reason: another attempt succeeded"),
            (S{"speculation-loser"}));
  // Rules without the log flag never answer for log lines.
  EXPECT_EQ(ids("Executor Process Lost"), S{});
  for (std::string_view id : c_->MatchLogLine("java.lang.OutOfMemoryError: GC overhead limit "
                                              "exceeded")) {
    auto it =
        std::find_if(Rules().begin(), Rules().end(), [&](const Rule& r) { return r.id == id; });
    ASSERT_NE(it, Rules().end());
    EXPECT_TRUE(it->log) << id;
  }
}

// Synthetic executor log: mostly INFO lines, about one line in a hundred matching something.
std::vector<std::string> SyntheticLogLines() {
  const std::vector<std::string> noise = {
      "24/03/02 10:11:12 INFO Executor: Running task 3.0 in stage 5.0 (TID 40)",
      "24/03/02 10:11:12 INFO ShuffleBlockFetcherIterator: Getting 200 (12.3 MiB) non-empty "
      "blocks including 40 (2.1 MiB) local and 0 (0.0 B) host-local and 160 (10.2 MiB) remote "
      "blocks",
      "24/03/02 10:11:13 INFO TorrentBroadcast: Reading broadcast variable 12 took 4 ms",
      "24/03/02 10:11:13 INFO MemoryStore: Block broadcast_12 stored as values in memory "
      "(estimated size 24.1 KiB, free 2.1 GiB)",
      "24/03/02 10:11:14 INFO CodeGenerator: Code generated in 12.345678 ms",
      "24/03/02 10:11:15 INFO Executor: Finished task 3.0 in stage 5.0 (TID 40). 2544 bytes result "
      "sent to driver",
      "\tat org.apache.spark.rdd.RDD.computeOrReadCheckpoint(RDD.scala:373)",
      "24/03/02 10:11:16 INFO FileScanRDD: Reading File path: s3a://lake/events/dt=2024-03-01/"
      "part-00042-1c2d3e4f.c000.snappy.parquet, range: 0-134217728, partition values: [empty row]",
  };
  const std::vector<std::string> hits = {
      "java.lang.OutOfMemoryError: Java heap space",
      "Caused by: java.net.ConnectException: Connection refused",
      "24/03/02 10:11:17 ERROR Executor: Exception in task 1.0 in stage 2.0 (TID 9): "
      "org.apache.spark.shuffle.FetchFailedException: Failed to connect to host-3:7337",
  };
  std::vector<std::string> lines;
  for (int i = 0; i < 10000; ++i) {
    lines.push_back(i % 100 == 99 ? hits[(i / 100) % hits.size()] : noise[i % noise.size()]);
  }
  return lines;
}

TEST_F(ClassifierTest, MatchLogLineThroughput) {
  std::vector<std::string> lines = SyntheticLogLines();
  size_t bytes_per_pass = 0;
  for (const std::string& l : lines) bytes_per_pass += l.size() + 1;
  for (const std::string& l : lines) c_->MatchLogLine(l);  // warm the DFA caches
  size_t bytes = 0, matched = 0;
  auto start = std::chrono::steady_clock::now();
  while (bytes < (size_t{64} << 20)) {
    for (const std::string& l : lines) matched += !c_->MatchLogLine(l).empty();
    bytes += bytes_per_pass;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double mbps = bytes / 1e6 / secs;
  std::printf("MatchLogLine: %.1f MB in %.3f s = %.0f MB/s (%zu matching lines)\n", bytes / 1e6,
              secs, mbps, matched);
  EXPECT_EQ(matched, bytes / bytes_per_pass * 100);
#ifdef NDEBUG
  EXPECT_GT(mbps, 20.0) << "far below the 200 MB/s target even on a loaded machine";
#endif
}

// ---------------------------------------------------------------------------------------------
// The real corpus.

struct CorpusFailure {
  const TaskAttempt* task;
  const TaskFailure* failure;
  Classification c;
};

std::vector<CorpusFailure> ClassifyAll(const Application& app, const Classifier& classifier) {
  std::vector<CorpusFailure> out;
  for (const TaskAttempt& t : app.tasks) {
    const TaskFailure* f = app.FailureOf(t);
    if (!f || t.end == TaskEndKind::kResubmitted) continue;
    ClassifyContext ctx;
    std::string lost = f->kind == TaskEndKind::kExecutorLostFailure
                           ? f->lost_executor_id
                           : std::string(app.ExecutorOf(t));
    auto it = app.executors.find(lost);
    if (it != app.executors.end() && it->second.remove_reason) {
      ctx.executor_remove_reason = &*it->second.remove_reason;
    }
    out.push_back({&t, f, classifier.ClassifyTask(*f, ctx)});
  }
  return out;
}

TEST(ClassifyCorpus, RapidsTasksExecutorsFail) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      path, "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd");
  Application app = testing::LoadOne(path);
  auto classifier = Classifier::Create();
  std::vector<CorpusFailure> all = ClassifyAll(app, *classifier);
  // Raw TaskEnd events of stage 238 (Spark 3.1.1, YARN), Resubmitted ends left out:
  //  TID 8519: "Reason":"ExecutorLostFailure","Executor ID":"2","Exit Caused By App":true,
  //            "Loss Reason":"Executor Process Lost"; ExecutorRemoved for "2":
  //            "Removed Reason":"Executor Process Lost" -> no exit code, no known wording:
  //            executor-lost by the end kind.
  //  TID 8560, 8574: "Reason":"FetchFailed","Block Manager Address":{"Executor ID":"1",
  //            "Host":"hostname-08.domain.com","Port":46008},"Shuffle ID":54, "Message":
  //            "org.apache.spark.shuffle.FetchFailedException: /hadoop_disks/.../shuffle_54_8347_0
  //            .index ... Caused by: java.nio.file.NoSuchFileException: ..." -> shuffle-fetch.
  ASSERT_EQ(all.size(), 3u);
  int fetch = 0, lost = 0;
  for (const CorpusFailure& x : all) {
    if (x.failure->kind == TaskEndKind::kFetchFailed) {
      ++fetch;
      EXPECT_EQ(x.c.cls, FailureClass::kShuffleFetch);
      EXPECT_EQ(x.c.rule, "fetch-failed");
      EXPECT_TRUE(x.c.root_cause.starts_with("java.nio.file.NoSuchFileException: /hadoop_disks/"))
          << x.c.root_cause;
      EXPECT_TRUE(
          RepresentativeMessage(*x.failure).starts_with("java.nio.file.NoSuchFileException: "));
    } else {
      ++lost;
      EXPECT_EQ(x.task->task_id, 8519);
      EXPECT_EQ(x.c.cls, FailureClass::kExecutorLost);
      EXPECT_EQ(x.c.rule, "executor-lost");
      EXPECT_EQ(x.c.root_cause, "Executor Process Lost");
    }
  }
  EXPECT_EQ(fetch, 2);
  EXPECT_EQ(lost, 1);
  // Stage 238's "Failure Reason" is the fetch failure's message:
  // "org.apache.spark.shuffle.FetchFailedException: /hadoop_disks/..." -> shuffle-fetch.
  const StageAttempt* s = nullptr;
  for (const auto& [key, st] : app.stages) {
    if (st.failure_reason) s = &st;
  }
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->stage_id, 238);
  EXPECT_EQ(classifier->ClassifyText(*s->failure_reason).cls, FailureClass::kShuffleFetch);
  // Job 79: "Job Result":{"Result":"JobFailed","Exception":{"Message":"Job 79 cancelled because
  // SparkContext was shut down"}} -> stage-cancelled.
  ASSERT_TRUE(app.jobs.count(79));
  ASSERT_TRUE(app.jobs.at(79).failure_message);
  EXPECT_EQ(classifier->ClassifyText(*app.jobs.at(79).failure_message).rule,
            "stage-cancelled-text");
  // Both ExecutorRemoved events: "Removed Reason":"Executor Process Lost" -> executor-lost.
  for (const char* id : {"1", "2"}) {
    ASSERT_TRUE(app.executors.at(id).remove_reason);
    EXPECT_EQ(classifier->ClassifyText(*app.executors.at(id).remove_reason).cls,
              FailureClass::kExecutorLost);
  }
}

TEST(ClassifyCorpus, RapidsComplexDecWrongFileFormat) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/rapids-qualification/complex_dec_eventlog.zstd");
  Application app = testing::LoadOne(path);
  auto classifier = Classifier::Create();
  std::vector<CorpusFailure> all = ClassifyAll(app, *classifier);
  // The one failure, TaskEnd of TID 32, stage 17, executor "driver" (Spark 3.1.1, local mode):
  //   "Reason":"ExceptionFailure","Class Name":"org.apache.spark.SparkException",
  //   "Description":"Exception thrown in awaitResult: ", "Full Stack Trace":
  //   "org.apache.spark.SparkException: Exception thrown in awaitResult: ...
  //    Caused by: java.io.IOException: Could not read footer for file: FileStatus{path=file:/home/
  //      user1/workspace/readtypetestfiles/smalldec.orc/part-00000-...-c000.snappy.orc; ...}
  //    Caused by: java.lang.RuntimeException: file:/home/user1/.../part-00000-...snappy.orc is not
  //      a Parquet file. expected magic number at tail [80, 65, 82, 49] but found [79, 82, 67, 23]"
  // By hand: the job read an ORC dataset (its files end in "ORC" magic, bytes 79 82 67) with the
  // Parquet reader ([80, 65, 82, 49] is "PAR1"). Nothing in the cluster failed and a retry
  // reads the same bytes: an application input/format error -> user-code-data, rule
  // bad-input-format, decided at the deepest cause.
  ASSERT_EQ(all.size(), 1u);
  const Classification& c = all[0].c;
  EXPECT_EQ(all[0].task->task_id, 32);
  EXPECT_EQ(c.cls, FailureClass::kUserCodeData);
  EXPECT_EQ(c.rule, "bad-input-format");
  EXPECT_TRUE(c.root_cause.starts_with("java.lang.RuntimeException: file:/home/user1/"));
  EXPECT_TRUE(
      c.root_cause.ends_with("is not a Parquet file. expected magic number at tail [80, "
                             "65, 82, 49] but found [79, 82, 67, 23]"));
  EXPECT_NE(c.evidence.find("org.apache.spark.SparkException -> java.io.IOException -> "
                            "java.lang.RuntimeException"),
            std::string::npos);
  // Stage 17's Failure Reason and the JobEnd message ("Job aborted due to stage failure: Task 0
  // in stage 17.0 failed 1 times, most recent failure: Lost task 0.0 in stage 17.0 (TID 32)
  // (10.10.10.11 executor driver): org.apache.spark.SparkException: ...") embed the same trace.
  for (const auto& [key, st] : app.stages) {
    if (!st.failure_reason) continue;
    EXPECT_EQ(classifier->ClassifyText(*st.failure_reason).rule, c.rule);
  }
  int failed_jobs = 0;
  for (const auto& [id, job] : app.jobs) {
    if (!job.failure_message) continue;
    ++failed_jobs;
    EXPECT_EQ(classifier->ClassifyText(*job.failure_message).rule, "bad-input-format");
  }
  EXPECT_EQ(failed_jobs, 1);
}

TEST(ClassifyCorpus, Spark24BadExecRuntimeExceptions) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/app-20161115172038-0000");
  Application app = testing::LoadOne(path);
  auto classifier = Classifier::Create();
  std::vector<CorpusFailure> all = ClassifyAll(app, *classifier);
  // 10 TaskEnds in stage 0 (TIDs 1,3,5,7,9,11,13,15,19,20; Spark 2.1.0-SNAPSHOT), each
  //   "Reason":"ExceptionFailure","Class Name":"java.lang.RuntimeException","Description":
  //   "bad exec", first "Stack Trace" element {"Declaring Class":"$line16.$read$$iw$$iw$$iw$$iw
  //   $$iw$$iw$$iw$$iw$$anonfun$1","Method Name":"apply$mcII$sp","File Name":"<console>",
  //   "Line Number":26}.
  // The test typed `throw new RuntimeException("bad exec")` into spark-shell: a generic JDK
  // exception thrown by the application's own (REPL) code -> user-code-data, thrown-in-app-code.
  ASSERT_EQ(all.size(), 10u);
  for (const CorpusFailure& x : all) {
    EXPECT_EQ(x.c.cls, FailureClass::kUserCodeData);
    EXPECT_EQ(x.c.rule, "thrown-in-app-code");
    EXPECT_EQ(x.c.root_cause, "java.lang.RuntimeException: bad exec");
  }
  EXPECT_EQ(RepresentativeMessage(*all[0].failure, 2),
            "java.lang.RuntimeException: bad exec\n"
            "\tat $line16.$read$$iw$$iw$$iw$$iw$$iw$$iw$$iw$$iw$$anonfun$1.apply$mcII$sp("
            "<console>:26)\n"
            "\tat $line16.$read$$iw$$iw$$iw$$iw$$iw$$iw$$iw$$iw$$anonfun$1.apply(<console>:26)");
}

TEST(ClassifyCorpus, OtherShellThrownRuntimeExceptions) {
  // Spark's History Server test logs whose failures are all ExceptionFailure
  // "Class Name":"java.lang.RuntimeException" thrown from the shell's own code (first "Stack
  // Trace" element's "Declaring Class" is a $lineN.$read... class):
  //   spark-2.4-tests/local-1422981780767 (Spark 1.2, no Full Stack Trace): 1 x "got a 3, failing"
  //   spark-2.4-tests/app-20161116163331-0000: 8 x "bad exec"
  //   spark-current-tests/app-20180109111548-0000: 2 x "Bad executor"
  //   spark-current-tests/application_1516285256255_0012: 4 x "Bad executor"
  const std::vector<std::pair<std::string, size_t>> logs = {
      {"eventlogs/spark-2.4-tests/local-1422981780767", 1},
      {"eventlogs/spark-2.4-tests/app-20161116163331-0000", 8},
      {"eventlogs/spark-current-tests/app-20180109111548-0000", 2},
      {"eventlogs/spark-current-tests/application_1516285256255_0012", 4},
  };
  auto classifier = Classifier::Create();
  for (const auto& [rel, count] : logs) {
    SCOPED_TRACE(rel);
    std::optional<std::filesystem::path> path = testing::CorpusFile(rel);
    if (!path) GTEST_SKIP() << "corpus file absent: " << rel;
    Application app = testing::LoadOne(*path);
    std::vector<CorpusFailure> all = ClassifyAll(app, *classifier);
    EXPECT_EQ(all.size(), count);
    for (const CorpusFailure& x : all) {
      EXPECT_EQ(x.c.cls, FailureClass::kUserCodeData);
      EXPECT_EQ(x.c.rule, "thrown-in-app-code");
      EXPECT_TRUE(x.c.root_cause.starts_with("java.lang.RuntimeException: ")) << x.c.root_cause;
    }
  }
}

TEST(ClassifyCorpus, Spark24YarnExit56) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/application_1538416563558_0014");
  Application app = testing::LoadOne(path);
  auto classifier = Classifier::Create();
  std::vector<CorpusFailure> all = ClassifyAll(app, *classifier);
  // 8 TaskEnds (TIDs 13,14,17,20,21,22,31,32; executors 1..8), each
  //   "Reason":"ExecutorLostFailure","Exit Caused By App":true,"Loss Reason":"Container marked
  //   as failed: container_1538416563558_0014_01_00000N on host: rezamemory-N.gce.something.com.
  //   Exit status: 56. Diagnostics: Exception from container-launch. ... Exit code: 56 ...
  //   ExitCodeException exitCode=56: ... Container exited with a non-zero exit code 56"
  // and the matching ExecutorRemoved "Removed Reason" is the same text. The app ran with
  // spark.executor.heartbeatInterval=100ms. Exit 56 is ExecutorExitCode.HEARTBEAT_FAILURE: the
  // executor could not send heartbeats to the driver spark.executor.heartbeat.maxFailures times
  // and exited -> task-timeout-kill (heartbeat), rule exit-56.
  ASSERT_EQ(all.size(), 8u);
  for (const CorpusFailure& x : all) {
    EXPECT_EQ(x.failure->kind, TaskEndKind::kExecutorLostFailure);
    EXPECT_EQ(x.c.cls, FailureClass::kTaskTimeoutKill);
    EXPECT_EQ(x.c.rule, "exit-56");
    EXPECT_NE(x.c.evidence.find("exit code 56"), std::string::npos) << x.c.evidence;
    EXPECT_TRUE(x.c.root_cause.starts_with("Container marked as failed: container_1538416563558"));
  }
  int removed = 0;
  for (const auto& [id, e] : app.executors) {
    if (!e.remove_reason) continue;
    ++removed;
    EXPECT_EQ(classifier->ClassifyText(*e.remove_reason).rule, "exit-56");
  }
  EXPECT_EQ(removed, 8);
}

TEST(ClassifyCorpus, SpeculativeLoserIsNotAFailure) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path,
                                 "eventlogs/spark-current-tests/application_1628109047826_1317105");
  Application app = testing::LoadOne(path);
  auto classifier = Classifier::Create();
  std::vector<CorpusFailure> all = ClassifyAll(app, *classifier);
  // One TaskEnd (TID 4, stage 0, index 3, attempt 1, executor 7; Task Info "Speculative":true,
  // "Killed":true, "Failed":false): "Reason":"TaskKilled","Kill Reason":"another attempt
  // succeeded" -> speculative-duplicate, not a failure.
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].task->task_id, 4);
  EXPECT_TRUE(all[0].task->speculative);
  EXPECT_EQ(all[0].c.cls, FailureClass::kSpeculativeDuplicate);
  EXPECT_EQ(all[0].c.rule, "speculation-loser");
  EXPECT_FALSE(IsRealFailure(all[0].c.cls));
  // Six ExecutorRemoved events: "Container container_e18_..._00000N exited from explicit
  // termination request." (dynamic allocation) -> executor-lost with low confidence.
  int removed = 0;
  for (const auto& [id, e] : app.executors) {
    if (!e.remove_reason) continue;
    ++removed;
    Classification c = classifier->ClassifyText(*e.remove_reason);
    EXPECT_EQ(c.rule, "driver-released");
    EXPECT_EQ(c.confidence, Confidence::kLow);
  }
  EXPECT_EQ(removed, 6);
}

}  // namespace
}  // namespace sparkmedic
