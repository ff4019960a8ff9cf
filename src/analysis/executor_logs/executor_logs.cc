// ScanExecutorLogs: list the files, scan each (log_scanner.cc), attribute the rest by tasks,
// build the report (report_builder.cc). docs/executor-logs.md describes the whole module.
#include "sparkmedic/executor_logs.h"

#include <algorithm>

#include "file_walk.h"
#include "log_scanner.h"
#include "report_builder.h"

namespace sparkmedic {

const char* AttributionSourceName(AttributionSource s) {
  switch (s) {
    case AttributionSource::kContent:
      return "content";
    case AttributionSource::kPodPrefix:
      return "pod-prefix";
    case AttributionSource::kFileName:
      return "file-name";
    case AttributionSource::kDirectoryName:
      return "directory-name";
    case AttributionSource::kTasks:
      return "tasks";
    case AttributionSource::kNone:
      return "none";
  }
  return "none";
}

const char* RunbookWordName(RunbookWord w) {
  switch (w) {
    case RunbookWord::kError:
      return "error";
    case RunbookWord::kException:
      return "exception";
    case RunbookWord::kTimeout:
      return "timeout";
    case RunbookWord::kConnection:
      return "connection";
    case RunbookWord::kClassNotFound:
      return "classnotfound";
    case RunbookWord::kOom:
      return "oom";
    case RunbookWord::kShuffle:
      return "shuffle";
  }
  return "";
}

const ExecutorLogStats* ExecutorLogReport::FindExecutor(std::string_view executor) const {
  for (const ExecutorLogStats& e : executors) {
    if (e.executor == executor) return &e;
  }
  return nullptr;
}

const TaskLogRef* ExecutorLogReport::FindTask(int64_t tid) const {
  auto it = std::lower_bound(tasks.begin(), tasks.end(), tid,
                             [](const TaskLogRef& t, int64_t v) { return t.tid < v; });
  return it != tasks.end() && it->tid == tid ? &*it : nullptr;
}

Result<ExecutorLogReport> ScanExecutorLogs(const std::string& path, const Classifier& classifier,
                                           const ExecutorLogOptions& options) {
  if (options.block_bytes < 4096 || options.max_line_bytes < 256 || options.max_depth < 1) {
    return Status::InvalidArgument(
               "executor-log options: block_bytes >= 4096, max_line_bytes >= 256 and "
               "max_depth >= 1 are required")
        .WithPath(path);
  }
  Result<exlogs::LogFiles> files = exlogs::ListLogFiles(path, options.max_depth, options.max_files);
  if (!files.ok()) return files.status();
  exlogs::LogScanner scanner(classifier, options);
  for (const exlogs::LogFile& f : files->files) {
    size_t before = scanner.sources().size();
    Status st = scanner.ScanFile(f);
    // A single file that yields nothing at all is an error; under a directory the file's
    // LogSourceStats::error says it and the scan goes on.
    if (!st.ok() && files->root_is_file && scanner.sources()[before].stats.lines == 0) return st;
  }
  if (options.app != nullptr) exlogs::AttributeByTasks(*options.app, &scanner);
  return exlogs::BuildReport(path, *files, options, &scanner);
}

}  // namespace sparkmedic
