// LogScanner: reads executor-log files one after another and accumulates, per log source (a
// file, or one pod of a `kubectl logs --prefix` file), everything ExecutorLogReport reports.
// report_builder.cc turns the accumulators into the report.
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_LOG_SCANNER_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_LOG_SCANNER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sparkmedic/executor_logs.h"

#include "file_walk.h"
#include "trigger_scanner.h"

namespace sparkmedic::exlogs {

// The lines of one rule in one source.
struct RuleAcc {
  uint64_t lines = 0;
  uint64_t first_line = 0, last_line = 0;
  std::string first_text, last_text;
};

struct SourceAcc {
  LogSourceStats stats;        // executor fields are set by Attribute()
  std::vector<RuleAcc> rules;  // by rule slot (LogScanner::slots())
  // Attribution evidence, strongest first.
  std::string content_executor, content_text;  // the line where the executor states its id
  uint64_t content_line = 0;
  std::string pod_executor;  // from the --prefix pod name
  std::string file_executor, file_name;
  std::string dir_executor, dir_name;
  std::vector<int64_t> tid_sample;  // distinct TIDs it mentions (the first kMaxTidSample)
};
inline constexpr size_t kMaxTidSample = 64;

struct ExceptionGroup {
  uint64_t count = 0;
  uint32_t first_source = 0;
  uint64_t first_line = 0;
  std::string first_text;
  std::vector<std::pair<uint32_t, uint64_t>> per_source;  // (source, lines), source ascending
};

inline constexpr uint32_t kNoSource = 0xFFFFFFFFu;
struct TaskAcc {
  TaskLogRef ref;
  uint32_t other_source = kNoSource;  // the first other source that mentioned the TID
};

struct RuleSlot {
  std::string id;
  FailureClass cls = FailureClass::kUnknown;
};

class LogScanner {
 public:
  // `classifier` and `options` must outlive the scanner.
  LogScanner(const Classifier& classifier, const ExecutorLogOptions& options);
  ~LogScanner();

  // Reads one file to its end or first error; the error (with the path) is also recorded in
  // the file's first source. Lines before an error are counted.
  Status ScanFile(const LogFile& file);

  std::deque<SourceAcc>& sources() { return sources_; }
  const std::deque<RuleSlot>& slots() const { return slots_; }
  std::unordered_map<std::string, ExceptionGroup>& exceptions() { return exceptions_; }
  std::unordered_map<int64_t, TaskAcc>& tasks() { return tasks_; }
  uint64_t exceptions_not_grouped() const { return exceptions_not_grouped_; }
  uint64_t task_refs_dropped() const { return task_refs_dropped_; }
  uint64_t lines_checked() const { return lines_checked_; }
  uint64_t lines_matched() const { return lines_matched_; }
  uint64_t bytes() const { return bytes_; }
  bool prefiltered() const { return !match_all_; }

 private:
  struct FileState;

  Status ReadStream(InputStream& in, FileState& fs);
  void Lines(char* begin, char* end, FileState& fs);
  void Line(const char* p, size_t n, bool long_line, FileState& fs);
  void Rare(std::string_view line, uint32_t flags);
  uint32_t NewSource(const std::string& path, std::string_view pod);
  void SwitchPod(std::string_view pod, FileState& fs);
  void SwitchToDefault(FileState& fs);
  void AddRuleHits(std::string_view line);
  void AddException(std::string_view line);
  void AddTasks(std::string_view line);
  void AddContentAttribution(std::string_view line);
  size_t SlotOf(std::string_view id);
  void Attribute(uint32_t source, const LogFile& file);

  const Classifier& classifier_;
  const ExecutorLogOptions& options_;
  TriggerScanner triggers_;
  bool match_all_ = false;      // no prefilter: every line goes to MatchLogLine
  std::deque<RuleSlot> slots_;  // a deque: slot_of_'s keys view into its strings
  std::unordered_map<std::string_view, size_t> slot_of_;
  std::deque<SourceAcc> sources_;
  uint32_t cur_ = kNoSource;      // the source of the current line
  SourceAcc* cur_src_ = nullptr;  // &sources_[cur_]
  uint64_t line_no_ = 0;          // of the current line in its file
  std::unordered_map<std::string, ExceptionGroup> exceptions_;
  std::string scratch_;
  uint64_t exceptions_not_grouped_ = 0;
  std::unordered_map<int64_t, TaskAcc> tasks_;
  uint64_t task_refs_dropped_ = 0;
  uint64_t lines_checked_ = 0, lines_matched_ = 0, bytes_ = 0;
  std::unique_ptr<char[]> buf_;
  size_t buf_cap_ = 0;
};

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_LOG_SCANNER_H_
