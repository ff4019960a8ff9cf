// Failure classification: which kind of failure a task end, a stage or job failure reason, or an
// executor log line is, by one rule table (docs/failure-classes.md).
//
// Structured fields decide first (end-reason kind, exception class and the "Caused by:" chain,
// Exit Caused By App, exit codes and loss-reason text, kill reason); message patterns (RE2,
// compiled once as a set) decide the rest. Works on Spark 2.4 to 4.x message formats.
//
// Decisions the types below do not show (docs/failure-classes.md has the reasons):
//  * Heartbeat trouble ("Executor heartbeat timed out after N ms", executor exit 56 "unable to
//    send heartbeats", exit 57 task reaper) is kTaskTimeoutKill, not kExecutorLost.
//  * A PythonException is classified by the Python error its traceback ends with (ValueError →
//    kUserCodeData, MemoryError → kOutOfMemory, ImportError → kClassNotFound, PicklingError →
//    kSerialization); only a crash, or a PythonException without a readable traceback, is
//    kPythonWorkerCrash.
//  * A generic exception (e.g. java.lang.RuntimeException) whose first frame is application
//    code is kUserCodeData; so is an exception whose class is in the application's packages.
//  * A Resubmitted end is classified by its cause (kExecutorLost) although it is not a failure
//    of that attempt (TaskAttempt::failed is false): callers count it separately.
//  * Exit Caused By App=false never changes the class; it is reported in Classification::evidence.
#ifndef SPARKMEDIC_CLASSIFY_H_
#define SPARKMEDIC_CLASSIFY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/model.h"

namespace sparkmedic {

enum class FailureClass : uint8_t {
  // The runbook's eight scenarios.
  kTransientNetwork,  // Scenario 1: ConnectException, UnknownHostException, connection reset
  kShuffleFetch,      // Scenario 2: FetchFailed
  kExecutorLost,      // Scenario 3: executor lost for another or unknown reason
  kSerialization,     // Scenario 4: NotSerializableException, InvalidClassException, Kryo
  kClassNotFound,     // Scenario 5: ClassNotFoundException, NoClassDefFoundError
  kOutOfMemory,       // Scenario 6: memory trouble not attributable more precisely
  kTaskTimeoutKill,   // Scenario 7: killed by timeout / heartbeat timeout
  kHadoopHdfs,        // Scenario 8: RemoteException, BlockMissingException, HDFS errors
  // What operators meet as often.
  kContainerOomKilled,    // exit 137 / OOMKilled: the container's memory limit (overhead)
  kJvmOom,                // OutOfMemoryError in the JVM (heap, GC overhead, direct, GPU), exit 52
  kDiskFull,              // "No space left on device", exit 53, temp-dir failures
  kResultTooLarge,        // spark.driver.maxResultSize exceeded
  kCommitDenied,          // TaskCommitDenied
  kPythonWorkerCrash,     // Python worker exited / crashed
  kExecutorDecommission,  // executor decommissioned (not the app's fault)
  kSpeculativeDuplicate,  // a speculative copy killed because another attempt won: not a failure
  kStageCancelled,        // killed because the stage or job was cancelled
  kContinuousStreamingRetry,  // ContinuousTaskRetryException: continuous mode cannot retry
  kUserCodeData,  // NPE, NumberFormatException, ArithmeticException, app's own exceptions
  kUnknown,
};
inline constexpr int kNumFailureClasses = 20;

// "transient-network", "shuffle-fetch", ... (stable names for JSON and docs).
const char* FailureClassName(FailureClass c);
// A one-line human title, e.g. "Container OOM-killed (exit 137)".
const char* FailureClassTitle(FailureClass c);
// The runbook scenario (1-8) a class maps to, or 0 when the runbook has none. The two OOM
// classes map to 6 and executor decommission to 3; speculative duplicates map to 0 although the
// runbook lists "speculation kills slow tasks" under 7: they are not failures and its action
// does not apply.
int RunbookScenario(FailureClass c);
// False for ends that are not failures (speculative duplicates killed). True for every other
// class, kStageCancelled included (whether a cancellation counts is the caller's policy).
bool IsRealFailure(FailureClass c);

enum class Confidence : uint8_t { kLow, kMedium, kHigh };
const char* ConfidenceName(Confidence c);  // "low", "medium", "high"

struct Classification {
  FailureClass cls = FailureClass::kUnknown;
  Confidence confidence = Confidence::kLow;
  std::string rule;        // id of the rule that decided, e.g. "exit-137"; empty for kUnknown
  std::string root_cause;  // the deepest meaningful "Class: message", e.g.
                           // "java.lang.OutOfMemoryError: Java heap space"; for ends without an
                           // exception (executor lost, killed) the first line of the reason
  // The structured facts the decision rested on, "; "-separated, for reports and audits, e.g.
  // "exit code 137; Exit Caused By App=false" or "chain: org.apache.spark.SparkException ->
  // java.lang.OutOfMemoryError". Never used to decide.
  std::string evidence;
};

// Context that sharpens a task's classification.
struct ClassifyContext {
  // The executor's ExecutorRemoved reason when known (K8s puts the exit code there).
  const std::string* executor_remove_reason = nullptr;
  // Package prefixes of the application's own code (e.g. "com.example."), to tell user
  // exceptions from framework ones; empty means "anything not JDK/Scala/Spark/Hadoop".
  std::vector<std::string> app_packages;
};

// The rule engine. Create once (compiles every pattern, a few milliseconds); every method is
// const and thread-safe afterwards. Never fails: an unknown failure is kUnknown with an empty
// rule id.
class Classifier {
 public:
  static std::unique_ptr<Classifier> Create();
  virtual ~Classifier() = default;

  // A failed or killed task attempt (any TaskEndKind; kSuccess/kRunning/kUnknownReason give
  // kUnknown). `ctx` and the string it points to need only live for the call.
  virtual Classification ClassifyTask(const TaskFailure& f, const ClassifyContext& ctx) const = 0;
  // Free text: a stage's Failure Reason, a JobEnd exception message ("Job aborted due to stage
  // failure: Task 3 in stage 5.0 failed 4 times, most recent failure: Lost task 3.3 in stage 5.0
  // (TID 123) (host executor 7): <toErrorString>" — the embedded most recent failure is what is
  // classified, in 2.4 and 3.x+ wording, "Driver stacktrace:" ignored), an ExecutorRemoved
  // reason, an ExecutorLostFailure loss reason, or any task end's toErrorString form.
  virtual Classification ClassifyText(std::string_view text) const = 0;
  // Every rule whose log pattern matches one executor-log line (ids as in the rule table, in
  // table order); empty when none. The views point to static storage. Used by the
  // executor-log scanner; a line is matched as one line (no newline inside is expected).
  virtual std::vector<std::string_view> MatchLogLine(std::string_view line) const = 0;
};

// The message to show for a failure: the root cause first ("Caused by" chain unwound: the
// deepest cause with a message, "Class: first line of message"), then the top exception's line
// when different, then at most `max_frames` frames of the root cause — its very first frame and
// its application frames (not JDK, Scala, Spark, Hadoop, ...), with the frames Java elided as
// "... N more" restored and those lines dropped. A Python error shows its traceback's "File"
// lines. Ends without an exception (executor lost, killed) give their toErrorString with blank
// lines dropped and any stack trimmed the same way.
std::string RepresentativeMessage(const TaskFailure& f, size_t max_frames = 6);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CLASSIFY_H_
