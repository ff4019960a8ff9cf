// The rule table. One row per rule; docs/failure-classes.md explains every row.
//
// Message texts are Spark's own (2.4 to 4.x), from TaskEndReason.scala, TaskSetManager.scala,
// ExecutorExitCode.scala, ExecutorLossReason.scala, HeartbeatReceiver.scala, YarnAllocator.scala,
// ExecutorPodsLifecycleManager.scala, PythonRunner.scala and the SQL error classes; plus the
// JDK's, Hadoop's, Netty's, Kryo's, CPython's and the RAPIDS plugin's.
//
// Exit codes: one pattern recognises the ways the cluster managers print them:
//   K8s      "The executor with id 7 exited with exit code 137(SIGKILL, possible container OOM)."
//            and, in the container statuses, "exit code: 137"
//   YARN     "Container marked as failed: ... Exit status: 137. Diagnostics: ..."
//            "Container exited with a non-zero exit code 137", "ExitCodeException exitCode=137"
//            "Container killed on request. Exit code is 143"
//   standalone "Command exited with code 52"
#include "rules.h"

#include <array>

namespace sparkmedic::classify {
namespace {

using enum FailureClass;
constexpr Confidence kHigh = Confidence::kHigh;
constexpr Confidence kMedium = Confidence::kMedium;
constexpr Confidence kLow = Confidence::kLow;

// "exit code N" in any of the forms above, followed by the code and a word boundary.
#define SPARKMEDIC_EXIT \
  R"((?i:\bexit(?:ed with)?(?: exit)? (?:code|status)(?: is)?|\bexitcode)\s*[:=]?\s*)"

// Rows name only the fields they use (the rest keep Rule's defaults); g++ 12 warns about every
// omitted field of a designated initializer even when it has a default member initializer.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
// clang-format off
constexpr auto kRules = std::to_array<Rule>({
    // ---- TaskKilled: the kill reason -------------------------------------------------------
    {.id = "speculation-loser", .cls = kSpeculativeDuplicate, .confidence = kHigh,
     .scopes = kKillReason | kText, .text_re = R"(another attempt succeeded)", .log = true},
    {.id = "stage-finished-kill", .cls = kSpeculativeDuplicate, .confidence = kMedium,
     .scopes = kKillReason, .text_re = R"(^Stage finished)"},
    {.id = "cancelled-kill", .cls = kStageCancelled, .confidence = kHigh, .scopes = kKillReason,
     .text_re = R"(cancel|killed via the web ui|killed by (?:the )?user|job group)", .icase = true},
    {.id = "barrier-sibling-kill", .cls = kStageCancelled, .confidence = kMedium,
     .scopes = kKillReason, .text_re = R"(from barrier stage)"},
    {.id = "decommission-kill", .cls = kExecutorDecommission, .confidence = kMedium,
     .scopes = kKillReason, .text_re = R"(decommission)", .icase = true},
    {.id = "timeout-kill", .cls = kTaskTimeoutKill, .confidence = kMedium, .scopes = kKillReason,
     .text_re = R"(time[ds]?[ -]?out|timed out)", .icase = true},

    // ---- ExecutorLostFailure / ExecutorRemoved: the loss reason ----------------------------
    {.id = "k8s-oomkilled", .cls = kContainerOomKilled, .confidence = kHigh,
     .scopes = kLossReason | kText, .text_re = R"(\bOOMKilled\b)", .log = true},
    {.id = "yarn-memory-limit", .cls = kContainerOomKilled, .confidence = kHigh,
     .scopes = kLossReason | kText,
     .text_re = R"(exceeding (?:physical |virtual )?memory limits|running (?:\S+ )?beyond )"
                R"((?:the )?'?(?:physical|virtual)'? memory limit|exit status: -10[34]\b)",
     .icase = true, .log = true},
    {.id = "decommissioned", .cls = kExecutorDecommission, .confidence = kHigh,
     .scopes = kLossReason | kText, .text_re = R"(decommission)", .icase = true, .log = true},
    {.id = "exit-52", .cls = kJvmOom, .confidence = kHigh, .scopes = kLossReason | kText,
     .text_re = SPARKMEDIC_EXIT R"(52\b)", .log = true},
    {.id = "exit-53", .cls = kDiskFull, .confidence = kHigh, .scopes = kLossReason | kText,
     .text_re = SPARKMEDIC_EXIT R"(53\b)", .log = true},
    {.id = "exit-137", .cls = kContainerOomKilled, .confidence = kMedium,
     .scopes = kLossReason | kText, .text_re = SPARKMEDIC_EXIT R"(137\b)", .log = true},
    {.id = "heartbeat-timeout", .cls = kTaskTimeoutKill, .confidence = kMedium,
     .scopes = kLossReason | kText,
     .text_re = R"(heartbeat timed out|unable to send heartbeats|issue communicating with )"
                R"(driver in heartbeater)",
     .icase = true, .log = true},
    {.id = "exit-56", .cls = kTaskTimeoutKill, .confidence = kMedium,
     .scopes = kLossReason | kText, .text_re = SPARKMEDIC_EXIT R"(56\b)", .log = true},
    {.id = "exit-57", .cls = kTaskTimeoutKill, .confidence = kMedium,
     .scopes = kLossReason | kText,
     .text_re = SPARKMEDIC_EXIT R"(57\b|could not be stopped within \d+ ms|Killing executor JVM )"
                R"(because killed task)",
     .log = true},
    {.id = "k8s-evicted-memory", .cls = kContainerOomKilled, .confidence = kMedium,
     .scopes = kLossReason | kText, .text_re = R"(low on resource: memory)", .icase = true},
    {.id = "k8s-evicted-disk", .cls = kDiskFull, .confidence = kMedium,
     .scopes = kLossReason | kText,
     .text_re = R"(low on resource: ephemeral-storage|ephemeral local storage usage exceeds)",
     .icase = true},
    {.id = "preempted", .cls = kExecutorLost, .confidence = kHigh, .scopes = kLossReason | kText,
     .text_re = R"(\bpreempt(?:ed|ion)\b|exit status: -102\b)", .icase = true},
    {.id = "driver-released", .cls = kExecutorLost, .confidence = kLow,
     .scopes = kLossReason | kText,
     .text_re = R"(explicit termination request|killed by driver|deleted by a user or the )"
                R"(framework|container killed on request)",
     .icase = true},

    // ---- the end kind alone (and fallbacks of the stages above) ----------------------------
    {.id = "fetch-failed", .cls = kShuffleFetch, .confidence = kHigh, .scopes = kEndKind,
     .kind = TaskEndKind::kFetchFailed},
    {.id = "commit-denied", .cls = kCommitDenied, .confidence = kHigh, .scopes = kEndKind,
     .kind = TaskEndKind::kTaskCommitDenied},
    {.id = "task-result-lost", .cls = kExecutorLost, .confidence = kMedium, .scopes = kEndKind,
     .kind = TaskEndKind::kTaskResultLost},
    {.id = "resubmitted", .cls = kExecutorLost, .confidence = kMedium, .scopes = kEndKind,
     .kind = TaskEndKind::kResubmitted},
    {.id = "executor-lost", .cls = kExecutorLost, .confidence = kMedium, .scopes = kEndKind,
     .kind = TaskEndKind::kExecutorLostFailure},
    {.id = "killed-other", .cls = kStageCancelled, .confidence = kLow, .scopes = kEndKind,
     .kind = TaskEndKind::kTaskKilled},

    // ---- exceptions that decide wherever they sit in the chain ----------------------------
    {.id = "fetch-failed-exception", .cls = kShuffleFetch, .confidence = kHigh,
     .scopes = kException | kText,
     .class_re = R"(org\.apache\.spark\.shuffle\.(?:FetchFailedException|)"
                 R"(MetadataFetchFailedException))",
     .dominant = true, .log = true},
    {.id = "missing-shuffle-output", .cls = kShuffleFetch, .confidence = kHigh,
     .scopes = kException | kText, .text_re = R"(Missing an output location for shuffle)",
     .dominant = true, .log = true},
    {.id = "continuous-retry", .cls = kContinuousStreamingRetry, .confidence = kHigh,
     .scopes = kException | kText, .class_re = R"([\w$.]*\.ContinuousTaskRetryException)",
     .dominant = true, .log = true},
    {.id = "continuous-retry-message", .cls = kContinuousStreamingRetry, .confidence = kHigh,
     .scopes = kException | kText,
     .text_re = R"(Continuous execution does not support task retry)", .dominant = true,
     .log = true},
    {.id = "python-worker-crashed", .cls = kPythonWorkerCrash, .confidence = kHigh,
     .scopes = kException | kText,
     .text_re = R"(python worker (?:exited unexpectedly|failed to connect back|crashed))",
     .icase = true, .dominant = true, .log = true},
    {.id = "rpc-timeout", .cls = kTransientNetwork, .confidence = kHigh,
     .scopes = kException | kText, .class_re = R"(org\.apache\.spark\.rpc\.RpcTimeoutException)",
     .dominant = true, .log = true},
    {.id = "commit-denied-exception", .cls = kCommitDenied, .confidence = kHigh,
     .scopes = kException | kText, .class_re = R"([\w$.]*\.CommitDeniedException)",
     .dominant = true, .log = true},
    {.id = "task-not-serializable", .cls = kSerialization, .confidence = kHigh,
     .scopes = kException | kText,
     .text_re = R"(Task not serializable|Failed to serialize task|had a not serializable )"
                R"(result)",
     .dominant = true, .log = true},

    // ---- exceptions, deepest cause first ---------------------------------------------------
    {.id = "jvm-oom", .cls = kJvmOom, .confidence = kHigh, .scopes = kException | kText,
     .class_re = R"(java\.lang\.OutOfMemoryError)", .log = true},
    {.id = "spark-oom", .cls = kJvmOom, .confidence = kHigh, .scopes = kException | kText,
     .class_re = R"(org\.apache\.spark\.memory\.SparkOutOfMemoryError)", .log = true},
    {.id = "netty-direct-oom", .cls = kJvmOom, .confidence = kHigh, .scopes = kException | kText,
     .class_re = R"(io\.netty\.util\.internal\.OutOfDirectMemoryError)", .log = true},
    {.id = "offheap-oom-message", .cls = kJvmOom, .confidence = kHigh,
     .scopes = kException | kText,
     .text_re = R"(direct buffer memory|bytes? of direct memory|unable to acquire \d+ bytes of )"
                R"(memory|not enough memory to build and broadcast)",
     .icase = true, .log = true},
    {.id = "arrow-oom", .cls = kJvmOom, .confidence = kMedium, .scopes = kException | kText,
     .class_re = R"(org\.apache\.arrow\.memory\.OutOfMemoryException)", .log = true},
    {.id = "gpu-oom", .cls = kJvmOom, .confidence = kHigh, .scopes = kException | kText,
     .class_re = R"((?:com\.nvidia\.spark\.rapids|ai\.rapids\.cudf)\.[\w$.]*(?:OOM|OutOfMemory)\w*)",
     .log = true},
    {.id = "gpu-oom-message", .cls = kJvmOom, .confidence = kHigh, .scopes = kException | kText,
     .text_re = R"(RMM failure|std::bad_alloc|cudaErrorMemoryAllocation|CUDA error[^\n]*out of )"
                R"(memory|\bGpu(?:SplitAnd)?RetryOOM\b|\bGpuOOM\b)",
     .log = true},
    {.id = "native-oom", .cls = kOutOfMemory, .confidence = kMedium,
     .scopes = kException | kLossReason | kText,
     .text_re = R"(cannot allocate memory|insufficient memory for the java runtime)",
     .icase = true, .log = true},
    {.id = "python-memory-error", .cls = kOutOfMemory, .confidence = kMedium,
     .scopes = kException, .class_re = R"(python\.MemoryError)"},
    {.id = "serialization-exception", .cls = kSerialization, .confidence = kHigh,
     .scopes = kException | kText,
     .class_re = R"(java\.io\.(?:NotSerializableException|InvalidClassException|)"
                 R"(StreamCorruptedException)|com\.esotericsoftware\.kryo\.(?:\w+\.)*KryoException)",
     .log = true},
    {.id = "serialization-message", .cls = kSerialization, .confidence = kMedium,
     .scopes = kException | kText,
     .text_re = R"(unread block data|Kryo serialization failed|exceeds max allowed: )"
                R"(spark\.rpc\.message\.maxSize|Could not serialize object)",
     .log = true},
    {.id = "python-pickle", .cls = kSerialization, .confidence = kMedium, .scopes = kException,
     .class_re = R"(python\.(?:[\w.]*\.)?(?:PicklingError|UnpicklingError|SerializationError))"},
    {.id = "class-not-found", .cls = kClassNotFound, .confidence = kHigh,
     .scopes = kException | kText,
     .class_re = R"(java\.lang\.(?:ClassNotFoundException|NoClassDefFoundError))", .log = true},
    {.id = "linkage-error", .cls = kClassNotFound, .confidence = kMedium,
     .scopes = kException | kText,
     .class_re = R"(java\.lang\.(?:NoSuchMethodError|NoSuchFieldError|AbstractMethodError|)"
                 R"(IncompatibleClassChangeError|UnsatisfiedLinkError))",
     .log = true},
    {.id = "python-import-error", .cls = kClassNotFound, .confidence = kMedium,
     .scopes = kException, .class_re = R"(python\.(?:ModuleNotFoundError|ImportError))"},
    {.id = "no-space-left", .cls = kDiskFull, .confidence = kHigh,
     .scopes = kException | kLossReason | kText,
     .text_re = R"(no space left on device|disk quota exceeded)", .icase = true, .log = true},
    {.id = "local-dir-failed", .cls = kDiskFull, .confidence = kHigh,
     .scopes = kException | kLossReason | kText,
     .text_re = R"(failed to create (?:any )?local dir|\bERROR DiskBlockManager\b)", .icase = true,
     .log = true},
    {.id = "hdfs-exception", .cls = kHadoopHdfs, .confidence = kHigh,
     .scopes = kException | kText,
     .class_re = R"(org\.apache\.hadoop\.ipc\.RemoteException(?:\([\w$.]+\))?|)"
                 R"((?:org\.apache\.hadoop\.[\w$.]*\.)?(?:BlockMissingException|ChecksumException|)"
                 R"(LeaseExpiredException|SafeModeException|StandbyException|)"
                 R"(DSQuotaExceededException|NSQuotaExceededException|)"
                 R"(AlreadyBeingCreatedException|NotReplicatedYetException))",
     .log = true},
    {.id = "hadoop-exception", .cls = kHadoopHdfs, .confidence = kMedium, .scopes = kException,
     .class_re = R"(org\.apache\.hadoop\.(?:hdfs|ipc|security|fs|net)\.[\w$.]+(?:\([\w$.]+\))?)"},
    {.id = "hdfs-message", .cls = kHadoopHdfs, .confidence = kMedium,
     .scopes = kException | kText,
     .text_re = R"(Could not obtain block|All datanodes [^\n]*are bad|Filesystem closed|)"
                R"(No lease on|Cannot obtain block length|Failed to replace a bad datanode|)"
                R"(Could not get block locations)",
     .log = true},
    {.id = "shuffle-file-missing", .cls = kShuffleFetch, .confidence = kMedium,
     .scopes = kException | kText,
     .class_re = R"(java\.io\.FileNotFoundException|java\.nio\.file\.NoSuchFileException)",
     .text_re = R"(blockmgr-|shuffle_\d+_\d+)"},
    {.id = "hdfs-file-not-found", .cls = kHadoopHdfs, .confidence = kHigh,
     .scopes = kException | kText, .class_re = R"(java\.io\.FileNotFoundException)",
     .text_re = R"((?:hdfs|viewfs|webhdfs|swebhdfs)://)", .log = true},
    {.id = "file-not-found", .cls = kHadoopHdfs, .confidence = kMedium,
     .scopes = kException | kText, .class_re = R"(java\.io\.FileNotFoundException)",
     .log = true},
    {.id = "network-exception", .cls = kTransientNetwork, .confidence = kHigh,
     .scopes = kException | kText,
     .class_re = R"(java\.net\.(?:ConnectException|UnknownHostException|NoRouteToHostException|)"
                 R"(SocketTimeoutException|SocketException|PortUnreachableException)|)"
                 R"(io\.netty\.channel\.(?:ConnectTimeoutException|[\w$.]*NativeIoException|)"
                 R"(AbstractChannel\$AnnotatedConnectException)|)"
                 R"(java\.nio\.channels\.UnresolvedAddressException)",
     .log = true},
    {.id = "network-message", .cls = kTransientNetwork, .confidence = kMedium,
     .scopes = kException | kText,
     .text_re = R"(connection reset|connection refused|broken pipe|connection timed out|)"
                R"(failed to connect to |no route to host|temporary failure in name resolution|)"
                R"(name or service not known)",
     .icase = true, .log = true},
    {.id = "python-network-error", .cls = kTransientNetwork, .confidence = kMedium,
     .scopes = kException,
     .class_re = R"(python\.(?:[\w.]*\.)?(?:ConnectionRefusedError|ConnectionResetError|)"
                 R"(ConnectionAbortedError|BrokenPipeError|ConnectionError|gaierror|)"
                 R"(ConnectTimeout|ReadTimeout))"},
    {.id = "result-too-large", .cls = kResultTooLarge, .confidence = kHigh,
     .scopes = kException | kText,
     .text_re = R"(Total size of serialized results of \d+ tasks [^\n]*is bigger than )"
                R"([^\n]*maxResultSize|Result is larger than maxResultSize)",
     .log = true},
    {.id = "broadcast-timeout", .cls = kTaskTimeoutKill, .confidence = kMedium,
     .scopes = kException | kText, .text_re = R"(Could not execute broadcast in \d+ secs)",
     .dominant = true, .log = true},
    {.id = "timeout-exception", .cls = kTaskTimeoutKill, .confidence = kMedium,
     .scopes = kException | kText, .class_re = R"(java\.util\.concurrent\.TimeoutException)",
     .log = true},
    {.id = "bad-input-format", .cls = kUserCodeData, .confidence = kHigh,
     .scopes = kException | kText,
     .text_re = R"(is not a Parquet file|Malformed records are detected|Parquet column cannot )"
                R"(be converted|is not an ORC file|Malformed ORC file)"},
    {.id = "user-data-exception", .cls = kUserCodeData, .confidence = kHigh,
     .scopes = kException | kText,
     .class_re = R"(java\.lang\.(?:NumberFormatException|ArithmeticException|)"
                 R"(ArrayIndexOutOfBoundsException|StringIndexOutOfBoundsException|)"
                 R"(NegativeArraySizeException|ClassCastException)|)"
                 R"(java\.time\.(?:DateTimeException|format\.DateTimeParseException)|)"
                 R"(scala\.MatchError|org\.apache\.spark\.(?:SparkArithmeticException|)"
                 R"(SparkNumberFormatException|SparkDateTimeException|)"
                 R"(SparkArrayIndexOutOfBoundsException))",
     .log = true},
    {.id = "user-data-error-class", .cls = kUserCodeData, .confidence = kHigh,
     .scopes = kException | kText,
     .text_re = R"(\[(?:CAST_INVALID_INPUT|CAST_OVERFLOW|DIVIDE_BY_ZERO|ARITHMETIC_OVERFLOW|)"
                R"(NUMERIC_VALUE_OUT_OF_RANGE|NUMERIC_OUT_OF_SUPPORTED_RANGE|INVALID_ARRAY_INDEX|)"
                R"(INVALID_ARRAY_INDEX_IN_ELEMENT_AT|INVALID_INDEX_OF_ZERO|DATETIME_OVERFLOW|)"
                R"(CANNOT_PARSE_TIMESTAMP|INVALID_FRACTION_OF_SECOND|NULL_MAP_KEY|)"
                R"(DUPLICATED_MAP_KEY|MALFORMED_RECORD_IN_PARSING|CANNOT_PARSE_DECIMAL|)"
                R"(USER_RAISED_EXCEPTION)(?:\.[A-Z_]+)?\])",
     .log = true},
    {.id = "user-data-weak", .cls = kUserCodeData, .confidence = kMedium,
     .scopes = kException | kText,
     .class_re = R"(java\.lang\.(?:NullPointerException|IllegalArgumentException|)"
                 R"(IndexOutOfBoundsException)|java\.util\.NoSuchElementException|)"
                 R"(org\.apache\.spark\.(?:SparkIllegalArgumentException|)"
                 R"(SparkNoSuchElementException))",
     .log = true},
    {.id = "python-user-error", .cls = kUserCodeData, .confidence = kMedium,
     .scopes = kException, .class_re = R"(python\..+)"},
    {.id = "python-exception", .cls = kPythonWorkerCrash, .confidence = kLow,
     .scopes = kException | kText,
     .class_re = R"(org\.apache\.spark\.api\.python\.PythonException)", .log = true},

    // ---- conditions in code ----------------------------------------------------------------
    {.id = "app-package-exception", .cls = kUserCodeData, .confidence = kHigh,
     .scopes = kSpecial, .special = Special::kAppPackageException},
    {.id = "non-framework-exception", .cls = kUserCodeData, .confidence = kMedium,
     .scopes = kSpecial, .special = Special::kNonFrameworkException},
    {.id = "thrown-in-app-code", .cls = kUserCodeData, .confidence = kMedium,
     .scopes = kSpecial, .special = Special::kThrownInAppCode},

    // ---- the whole text only ---------------------------------------------------------------
    {.id = "stage-cancelled-text", .cls = kStageCancelled, .confidence = kHigh, .scopes = kText,
     .text_re = R"(\bJob \d+ cancell?ed\b|\bStage (?:\d+ )?cancell?ed\b|cancell?ed because )"
                R"(SparkContext was shut down|part of cancell?ed job group|killed via the Web UI)",
     .log = true},
    {.id = "lost-executor-text", .cls = kExecutorLost, .confidence = kMedium, .scopes = kText,
     .text_re = R"(Executor Process Lost|Remote RPC client disassociated|Container marked as )"
                R"(failed|Container from a bad node|Executor lost|Slave lost|Worker lost|)"
                R"(lost (?:executor|worker)\b|released on a \*lost\* node)",
     .icase = true},
    {.id = "shuffle-text", .cls = kShuffleFetch, .confidence = kMedium, .scopes = kText,
     .text_re = R"(FetchFailed|Failed to fetch (?:block|shuffle)|Error occurred while fetching)",
     .log = true},
    {.id = "oom-text", .cls = kOutOfMemory, .confidence = kLow, .scopes = kText,
     .text_re = R"(OutOfMemory|out of memory|\bOOM\b)", .icase = true, .log = true},
    {.id = "timeout-text", .cls = kTaskTimeoutKill, .confidence = kLow, .scopes = kText,
     .text_re = R"(\btime[ds]?[ -]?out\b|\btimed out\b)", .icase = true, .log = true},
});
// clang-format on
#pragma GCC diagnostic pop

#undef SPARKMEDIC_EXIT

}  // namespace

std::span<const Rule> Rules() { return kRules; }

}  // namespace sparkmedic::classify
