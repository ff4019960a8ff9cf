// Discovery: which event logs a path holds, in which layout, and in what order to read them.
//
// Layouts (docs/event-log-format.md, "Layouts"):
//   single file     <appId>[_<attempt>][.<codec>][.inprogress]
//   rolling dir     eventlog_v2_<appId>[_<attempt>]/events_<N>_<appId>...[.<codec>][.compact],
//                   appstatus_<appId>...[.inprogress] marks completion
//   Spark 1.x dir   <appId>/EVENT_LOG_1 (+ APPLICATION_COMPLETE, SPARK_VERSION_x, COMPRESSION_CODEC_x)
//   Databricks dir  <dir>/eventlog (+ eventlog-YYYY-MM-DD--HH-MM[.gz] parts, oldest first)
//   a directory holding any mix of the above: every log found, attempts grouped by app.
#ifndef SPARKMEDIC_DISCOVERY_H_
#define SPARKMEDIC_DISCOVERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sparkmedic/codec.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

enum class LogLayout { kSingleFile, kRolling, kSpark1Dir, kDatabricks };

// "single-file", "rolling", "spark1-dir", "databricks".
const char* LogLayoutName(LogLayout layout);

// One physical file of a log, in reading order.
struct LogFile {
  std::string path;
  Codec codec = Codec::kNone;  // from the name (Spark 1.x: from COMPRESSION_CODEC_*)
  uint64_t size = 0;           // bytes on disk
  bool compact = false;        // a rolling log's ".compact" file (History Server compaction)
  int64_t index = 0;           // rolling: N of events_N_; Databricks: order of the part
};

// One application attempt's event log, which may span several files.
struct LogSource {
  std::string path;      // the file or directory as found
  LogLayout layout = LogLayout::kSingleFile;
  std::string app_id;    // from the file name, with the attempt suffix removed when known;
                         // may be empty (e.g. Databricks "eventlog"): the log's own
                         // ApplicationStart event is authoritative
  std::string attempt_id;  // from the name ("1" in eventlog_v2_app_1); empty when none
  bool in_progress = false;  // .inprogress file, rolling dir without a final appstatus
                             // marker, Spark 1.x dir without APPLICATION_COMPLETE
  std::vector<LogFile> files;  // reading order: for rolling, the newest .compact file (if any)
                               // first, then events_N in numeric order after it
  uint64_t total_size = 0;     // sum of files[i].size
  int64_t mtime_ms = 0;        // newest modification time among the files
};

// Finds the logs at `path`:
//  - a regular file: that one log (any name; codec from its extension);
//  - a directory that is itself one log (rolling, Spark 1.x or Databricks layout): that log;
//  - any other directory: every log directly inside it (one level; files whose names start
//    with '.' or end with ".crc"/".tmp", and rolling dirs with no events file are skipped).
// Results are sorted by (app_id, attempt_id, path). Errors: kNotFound if `path` does not
// exist, kIOError if it cannot be listed. A directory with no logs yields an empty vector.
Result<std::vector<LogSource>> DiscoverLogs(const std::string& path);

// Splits "application_1_0001_1" style names: Spark appends "_<attemptId>" to the app id in
// single-file and rolling names when an attempt id exists (YARN cluster mode). Because app ids
// themselves contain underscores, the split is only made for the YARN pattern
// "application_<digits>_<digits>_<attempt>"; other names keep their whole text as app id.
void SplitAppAndAttempt(const std::string& name, std::string* app_id, std::string* attempt_id);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_DISCOVERY_H_
