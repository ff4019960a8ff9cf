// Executor logs: what the executors themselves printed, as `kubectl logs` saves it, scanned
// with the classifier's log rules and the runbook's greps (docs/executor-logs.md).
//
// The event log says which tasks failed and, for a lost executor, often not why; the executor's
// own log has the OutOfMemoryError, the "No space left on device", the connection resets. This
// module reads a file or a directory of executor logs (plain text or gzip), attributes each to
// an executor id and counts, per executor, the lines every log rule matches
// (Classifier::MatchLogLine), the runbook's `grep -i exception | sort | uniq -c` view and the
// task ids (TIDs) each executor ran. JoinExecutorLogs then puts that evidence next to the
// findings of a Diagnosis.
//
// Reading is streaming: files are read in large blocks and cut into lines with memchr; no file
// is ever held whole. Memory is bounded by the options' caps (distinct exception lines, task
// references), not by the size of the logs.
#ifndef SPARKMEDIC_EXECUTOR_LOGS_H_
#define SPARKMEDIC_EXECUTOR_LOGS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sparkmedic/classify.h"
#include "sparkmedic/codec.h"
#include "sparkmedic/diagnosis.h"
#include "sparkmedic/model.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

// The executor id of a log that neither its name nor its content attributes.
inline constexpr std::string_view kUnknownExecutor = "unknown";
// Evidence lines (LogLineRef::text) are cut to this many bytes (at a UTF-8 character boundary).
inline constexpr size_t kMaxEvidenceChars = 300;

struct ExecutorLogOptions {
  // Directory levels below PATH that are read (PATH's own files are level 1).
  int max_depth = 4;
  // Files read at most (in path order); the rest are counted in ExecutorLogReport::files_skipped.
  size_t max_files = 10000;
  // Bytes per read(2) (and per decoder Read). REQUIRES: >= 4096.
  size_t block_bytes = size_t{1} << 20;
  // Only the first max_line_bytes of a longer line are looked at; the line still counts once.
  // REQUIRES: >= 256.
  size_t max_line_bytes = size_t{64} << 10;
  // The `uniq -c` view keeps this many normalised exception lines (the most frequent).
  size_t top_exceptions = 20;
  // Distinct normalised exception lines remembered; lines of further forms are counted in
  // ExecutorLogReport::exceptions_not_grouped.
  size_t max_distinct_exceptions = 100000;
  // TIDs remembered (about 100 bytes each); further ones are counted in
  // ExecutorLogReport::task_refs_dropped.
  size_t max_task_refs = 1000000;
  // Skip lines that no log rule of the built-in rule table can match, found by a cheap scan for
  // the rules' required substrings (docs/executor-logs.md "Speed"). Exact for the Classifier
  // that Classifier::Create() returns; set false for any other Classifier (then every line is
  // passed to MatchLogLine, several times slower).
  bool prefilter = true;
  // When set, a log that neither its name nor its content attributes is attributed by the TIDs
  // it mentions (its first 64): to the executor that, in this model of the same application,
  // ran every one of them the model knows (at least one). Must outlive the call.
  const Application* app = nullptr;
};

// How a log source got its executor id, most trusted first.
enum class AttributionSource : uint8_t {
  kContent,        // "Starting executor ID 3 on host ...", "--executor-id 3", BlockManagerId(3, ..
  kPodPrefix,      // the "[pod/<app>-exec-3/<container>] " prefix of `kubectl logs --prefix`
  kFileName,       // <app>-exec-3..., executor-3..., exec-3..., 3.log
  kDirectoryName,  // a parent directory named like a file above, or <N>/stderr (standalone)
  kTasks,          // the TIDs it mentions all ran on one executor (ExecutorLogOptions::app)
  kNone,           // unknown
};
// "content", "pod-prefix", "file-name", "directory-name", "tasks", "none".
const char* AttributionSourceName(AttributionSource s);

// One line of one log: where it is and (cut to kMaxEvidenceChars) what it says.
struct LogLineRef {
  std::string path;   // the file as found under the scanned PATH
  uint64_t line = 0;  // 1-based, in the decompressed file; 0 when there is no such line
  std::string text;   // without the "\r\n" and without a `kubectl --prefix` pod prefix
};

// The lines one log rule matched (in a source, an executor or all logs).
struct RuleHits {
  std::string rule;  // the rule id, as MatchLogLine names it (e.g. "jvm-oom")
  FailureClass cls = FailureClass::kUnknown;  // the rule's class; kUnknown if not in the table
  uint64_t lines = 0;                         // lines matched
  LogLineRef first, last;                     // in path order, then line order
};

// The runbook's keyword greps, each `grep -ic WORD` (case-insensitive substring, lines counted):
// step 2 "error\|exception", step 4 "timeout\|connection\|classnotfound\|oom\|shuffle".
enum class RunbookWord : uint8_t {
  kError,
  kException,
  kTimeout,
  kConnection,
  kClassNotFound,
  kOom,
  kShuffle,
};
inline constexpr int kNumRunbookWords = 7;
const char* RunbookWordName(RunbookWord w);  // "error", "exception", ... as grepped
using RunbookCounts = std::array<uint64_t, kNumRunbookWords>;  // indexed by RunbookWord

// One log source: a file, or the lines of one pod in a `kubectl logs --prefix` file.
struct LogSourceStats {
  std::string path;
  std::string pod;                         // the pod name when known, else empty
  std::string executor{kUnknownExecutor};  // executor id, or "unknown"
  AttributionSource attributed_by = AttributionSource::kNone;
  // What decided, e.g. `content line 12: "Starting executor ID 3 on host 10.0.0.5"` or
  // `file name "spark-pi-exec-3.log"`; a disagreeing weaker hint is appended ("; file-name
  // says 4").
  std::string attribution;
  Codec codec = Codec::kNone;
  uint64_t bytes = 0;  // decompressed bytes (a --prefix pod: its lines without prefix)
  uint64_t lines = 0;
  uint64_t long_lines = 0;  // lines longer than max_line_bytes (only their start was read)
  // The compressed data ends inside a member (a file copied while being written): everything
  // before that point was read and counted.
  bool truncated = false;
  // Why reading this file stopped early (Status::ToString(): path, offset, message), or empty.
  // The lines before the error are counted.
  std::string error;
  RunbookCounts grep{};
  uint64_t exception_lines = 0;  // == grep[kException]
  std::vector<RuleHits> rules;   // rules with lines, most lines first, then by id
};

// Everything attributed to one executor id (all its sources).
struct ExecutorLogStats {
  std::string executor;
  std::vector<size_t> sources;  // indexes into ExecutorLogReport::sources, ascending
  uint64_t bytes = 0, lines = 0;
  RunbookCounts grep{};
  std::vector<RuleHits> rules;  // most lines first, then by id
};

// One group of the runbook's `grep -i exception | sort | uniq -c`: lines equal after
// normalisation (timestamp, level-preceding thread "[...]" and leading blanks removed; numbers
// → "<n>", hex ids → "<hex>"; cut to kMaxEvidenceChars).
struct ExceptionLineCount {
  std::string text;  // the normalised line, e.g. "ERROR Executor: Exception in task <n>.<n> in
                     // stage <n>.<n> (TID <n>)"
  uint64_t count = 0;
  LogLineRef first;                                         // its first raw line
  std::vector<std::pair<std::string, uint64_t>> executors;  // (executor, lines), most first
};

// A task attempt an executor log mentions: "Running task 3.0 in stage 2.0 (TID 17)", "Exception
// in task 3.0 in stage 2.0 (TID 17)", "Got assigned task 17", a thread name "[Executor task
// launch worker for task 3.0 in stage 2.0 (TID 17)]", ...
struct TaskLogRef {
  int64_t tid = -1;
  // From "task <index>.<attempt> in stage <stage>.<stage attempt>"; -1 when no line said.
  int32_t stage_id = -1, stage_attempt = -1, index = -1, attempt = -1;
  uint32_t source = 0;      // index into ExecutorLogReport::sources (its executor, path)
  uint64_t first_line = 0;  // first line that mentions the TID
  // "ERROR Executor: Exception in task ... (TID n)": the line where this attempt's stack trace
  // starts; 0 if there is none. The trace follows it in the same source.
  uint64_t exception_line = 0;
  // "Executor killed task ..." / "Executor interrupted and killed task ..." line, or 0.
  uint64_t killed_line = 0;
};

struct ExecutorLogReport {
  std::string path;                            // as given
  std::vector<LogSourceStats> sources;         // in path order; a --prefix file gives one per pod
  std::vector<ExecutorLogStats> executors;     // numeric ids ascending, then other ids, "unknown"
                                               // last
  std::vector<RuleHits> rules;                 // over all sources, most lines first, then by id
  std::vector<ExceptionLineCount> exceptions;  // top_exceptions groups, most lines first
  uint64_t exception_lines = 0;                // `grep -ic exception` over everything
  uint64_t distinct_exceptions = 0;            // groups seen (up to max_distinct_exceptions)
  uint64_t exceptions_not_grouped = 0;         // exception lines of forms beyond that cap
  std::vector<TaskLogRef> tasks;               // by tid; the first source that mentioned each
  uint64_t task_refs_dropped = 0;              // mentions of TIDs not remembered (max_task_refs)
  // TIDs mentioned by sources of two different executors (logs of two applications, or a
  // wrong attribution); the first mention is kept.
  uint64_t tid_conflicts = 0;
  uint64_t files = 0;          // files read (some possibly with an error)
  uint64_t files_failed = 0;   // files whose LogSourceStats::error is set
  uint64_t files_skipped = 0;  // beyond max_files
  uint64_t dirs_skipped = 0;   // directories not entered: deeper than max_depth, symlinked,
                               // or unreadable
  uint64_t bytes = 0, lines = 0;
  uint64_t lines_checked = 0;  // lines passed to MatchLogLine (after the prefilter)
  uint64_t lines_matched = 0;  // lines some log rule matched
  RunbookCounts grep{};

  // The executor's stats, or nullptr when no source is attributed to it.
  const ExecutorLogStats* FindExecutor(std::string_view executor) const;
  // The task's reference, or nullptr when no log mentions the TID. O(log n).
  const TaskLogRef* FindTask(int64_t tid) const;
  // The executor a referenced task ran on, per the logs ("unknown" when unattributed).
  const std::string& ExecutorOf(const TaskLogRef& t) const { return sources[t.source].executor; }
};

// Reads the executor logs at `path`: a file, or a directory read recursively (options.max_depth
// levels, hidden entries and symlinked directories skipped, files in byte order of their paths).
// Every regular file is read as text, decoded first when its name or magic bytes say gzip (or
// another codec.h codec). Errors:
//  - kNotFound / kIOError (with the path): `path` does not exist or cannot be listed; a single
//    file `path` that cannot be opened or is corrupt from its first byte.
//  - kInvalidArgument: options outside their REQUIRES.
// A file under a directory that cannot be read does not fail the scan: its LogSourceStats::error
// says why. Never throws, never prints. Thread-safe (the classifier is only read); cost linear in
// the bytes read (docs/executor-logs.md "Speed").
Result<ExecutorLogReport> ScanExecutorLogs(const std::string& path, const Classifier& classifier,
                                           const ExecutorLogOptions& options);

// ---- Joining with a Diagnosis --------------------------------------------------------------

// How a log rule's class relates to a finding's class.
enum class EvidenceRelation : uint8_t {
  kAgrees,      // the same class, or the same runbook scenario (RunbookScenario), e.g. a
                // "container OOM-killed" finding and a "jvm-oom" log line
  kMayExplain,  // the finding is one the driver cannot see into (executor lost, task timeout /
                // heartbeat, unknown), and the executor logged some other failure: likely why
  kOther,       // an unrelated rule (still shown: the operator decides)
};
const char* EvidenceRelationName(EvidenceRelation r);  // "agrees", "may-explain", "other"
EvidenceRelation RelationOf(FailureClass finding, FailureClass log_rule);

struct LogEvidence {
  std::string rule;
  FailureClass cls = FailureClass::kUnknown;
  EvidenceRelation relation = EvidenceRelation::kOther;
  uint64_t lines = 0;  // on this executor
  LogLineRef first;    // its first line on this executor
};

struct ExecutorEvidence {
  std::string executor;
  bool scanned = false;     // some log source is attributed to this executor
  uint64_t lines_read = 0;  // of its logs
  // Its rule hits: kAgrees first, then kMayExplain, then kOther; by lines within each; at most
  // JoinOptions::max_rules_per_executor.
  std::vector<LogEvidence> hits;
  uint64_t supporting_lines = 0;  // lines of kAgrees and kMayExplain rules (all, not only shown)
};

struct FindingLogEvidence {
  // The finding's executors with logs and supporting lines first (most first), then those with
  // logs, then those without; at most JoinOptions::max_executors_per_finding.
  std::vector<ExecutorEvidence> executors;
  size_t executors_omitted = 0;     // beyond the cap
  size_t executors_scanned = 0;     // of all the finding's executors, how many had logs
  size_t executors_supporting = 0;  // ... whose logs have kAgrees or kMayExplain lines
  // The finding's class agrees with some executor's log (kAgrees lines somewhere).
  bool confirmed = false;
};

struct ExecutorLogJoin {
  std::vector<FindingLogEvidence> findings;  // parallel to Diagnosis::findings
  // Executors (with logs) whose logs have rule hits but that appear in no finding, with their
  // hits: failures the event log does not show (e.g. a driver-side log, or a partial event
  // log), ordered like ExecutorLogReport::executors; at most max_rules_per_executor hits each
  // (relation kOther).
  std::vector<ExecutorEvidence> unexplained;
};

struct ExecutorLogJoinOptions {
  size_t max_executors_per_finding = 8;
  size_t max_rules_per_executor = 5;
};

// Puts the executor-log evidence next to each finding: for every executor where the finding's
// attempts ran (Finding::executors), which log rules matched its logs and how they relate to
// the finding's class. Pure function of its inputs; thread-safe; O(findings × executors ×
// rules).
ExecutorLogJoin JoinExecutorLogs(const ExecutorLogReport& logs, const Diagnosis& diagnosis,
                                 const ExecutorLogJoinOptions& options = {});

}  // namespace sparkmedic

#endif  // SPARKMEDIC_EXECUTOR_LOGS_H_
