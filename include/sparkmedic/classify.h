// Failure classification: which kind of failure a task end, a stage or job failure reason, or an
// executor log line is, by one rule table (docs/failure-classes.md).
//
// Structured fields decide first (end-reason kind, exception class and the "Caused by:" chain,
// Exit Caused By App, exit codes and loss-reason text, kill reason); message patterns (RE2,
// compiled once as a set) decide the rest. Works on Spark 2.4 to 4.x message formats.
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
  kTransientNetwork,       // Scenario 1: ConnectException, UnknownHostException, connection reset
  kShuffleFetch,           // Scenario 2: FetchFailed
  kExecutorLost,           // Scenario 3: executor lost for another or unknown reason
  kSerialization,          // Scenario 4: NotSerializableException, InvalidClassException, Kryo
  kClassNotFound,          // Scenario 5: ClassNotFoundException, NoClassDefFoundError
  kOutOfMemory,            // Scenario 6: memory trouble not attributable more precisely
  kTaskTimeoutKill,        // Scenario 7: killed by timeout / heartbeat timeout
  kHadoopHdfs,             // Scenario 8: RemoteException, BlockMissingException, HDFS errors
  // What operators meet as often.
  kContainerOomKilled,     // exit 137 / OOMKilled: the container's memory limit (overhead)
  kJvmOom,                 // OutOfMemoryError in the JVM (heap, GC overhead, direct, GPU), exit 52
  kDiskFull,               // "No space left on device", exit 53, temp-dir failures
  kResultTooLarge,         // spark.driver.maxResultSize exceeded
  kCommitDenied,           // TaskCommitDenied
  kPythonWorkerCrash,      // Python worker exited / crashed
  kExecutorDecommission,   // executor decommissioned (not the app's fault)
  kSpeculativeDuplicate,   // a speculative copy killed because another attempt won: not a failure
  kStageCancelled,         // killed because the stage or job was cancelled
  kContinuousStreamingRetry,  // ContinuousTaskRetryException: continuous mode cannot retry
  kUserCodeData,           // NPE, NumberFormatException, ArithmeticException, app's own exceptions
  kUnknown,
};
inline constexpr int kNumFailureClasses = 20;

// "transient-network", "shuffle-fetch", ... (stable names for JSON and docs).
const char* FailureClassName(FailureClass c);
// A one-line human title, e.g. "Container OOM-killed (exit 137)".
const char* FailureClassTitle(FailureClass c);
// The runbook scenario (1-8) a class maps to, or 0 when the runbook has none.
int RunbookScenario(FailureClass c);
// False for ends that are not failures (speculative duplicates killed).
bool IsRealFailure(FailureClass c);

enum class Confidence : uint8_t { kLow, kMedium, kHigh };
const char* ConfidenceName(Confidence c);  // "low", "medium", "high"

struct Classification {
  FailureClass cls = FailureClass::kUnknown;
  Confidence confidence = Confidence::kLow;
  std::string rule;        // id of the rule that decided, e.g. "exit-137"
  std::string root_cause;  // the deepest meaningful "Class: message", e.g.
                           // "java.lang.OutOfMemoryError: Java heap space"
};

// Context that sharpens a task's classification.
struct ClassifyContext {
  // The executor's ExecutorRemoved reason when known (K8s puts the exit code there).
  const std::string* executor_remove_reason = nullptr;
  // Package prefixes of the application's own code (e.g. "com.example."), to tell user
  // exceptions from framework ones; empty means "anything not JDK/Scala/Spark/Hadoop".
  std::vector<std::string> app_packages;
};

// The rule engine. Create once (compiles every pattern); thread-safe afterwards.
class Classifier {
 public:
  static std::unique_ptr<Classifier> Create();
  virtual ~Classifier() = default;

  // A failed or killed task attempt.
  virtual Classification ClassifyTask(const TaskFailure& f, const ClassifyContext& ctx) const = 0;
  // Free text: a stage's or job's failure reason, an ExecutorRemoved reason.
  virtual Classification ClassifyText(std::string_view text) const = 0;
  // Every rule whose log pattern matches one executor-log line (ids as in the rule table);
  // empty when none. Used by the executor-log scanner.
  virtual std::vector<std::string_view> MatchLogLine(std::string_view line) const = 0;
};

// The message to show for a failure: the root cause first ("Caused by" chain unwound), then
// the stack trimmed to the frames that matter (application frames and the first few).
std::string RepresentativeMessage(const TaskFailure& f, size_t max_frames = 6);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CLASSIFY_H_
