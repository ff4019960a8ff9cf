// Names, titles and runbook scenarios of the failure classes (docs/failure-classes.md).
#include "sparkmedic/classify.h"

namespace sparkmedic {
namespace {

struct ClassInfo {
  const char* name;
  const char* title;
  int scenario;
};

// Indexed by FailureClass.
constexpr ClassInfo kClasses[kNumFailureClasses] = {
    {"transient-network", "Transient network error", 1},
    {"shuffle-fetch", "Shuffle fetch failure", 2},
    {"executor-lost", "Executor lost", 3},
    {"serialization", "Serialization error", 4},
    {"class-not-found", "Class or dependency missing", 5},
    {"out-of-memory", "Out of memory (not attributable more precisely)", 6},
    {"task-timeout-kill", "Killed by a timeout (task or heartbeat)", 7},
    {"hadoop-hdfs", "Hadoop / HDFS error", 8},
    {"container-oom-killed", "Container OOM-killed (exit 137)", 6},
    {"jvm-oom", "JVM OutOfMemoryError (heap, GC, direct, GPU; exit 52)", 6},
    {"disk-full", "Local disk full or unusable (exit 53)", 0},
    {"result-too-large", "Results bigger than spark.driver.maxResultSize", 0},
    {"commit-denied", "Output commit denied", 0},
    {"python-worker-crash", "Python worker crashed", 0},
    {"executor-decommission", "Executor decommissioned", 3},
    {"speculative-duplicate", "Speculative duplicate killed (not a failure)", 0},
    {"stage-cancelled", "Killed because the stage or job was cancelled", 0},
    {"continuous-streaming-retry", "Continuous streaming task cannot be retried", 0},
    {"user-code-data", "Application code or data error", 0},
    {"unknown", "Unclassified failure", 0},
};
static_assert(static_cast<int>(FailureClass::kUnknown) + 1 == kNumFailureClasses);

const ClassInfo& Info(FailureClass c) {
  int i = static_cast<int>(c);
  return kClasses[i >= 0 && i < kNumFailureClasses ? i : kNumFailureClasses - 1];
}

}  // namespace

const char* FailureClassName(FailureClass c) { return Info(c).name; }
const char* FailureClassTitle(FailureClass c) { return Info(c).title; }
int RunbookScenario(FailureClass c) { return Info(c).scenario; }
bool IsRealFailure(FailureClass c) { return c != FailureClass::kSpeculativeDuplicate; }

const char* ConfidenceName(Confidence c) {
  switch (c) {
    case Confidence::kLow:
      return "low";
    case Confidence::kMedium:
      return "medium";
    case Confidence::kHigh:
      return "high";
  }
  return "low";
}

}  // namespace sparkmedic
