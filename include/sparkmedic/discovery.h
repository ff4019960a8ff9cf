// Discovery: which event logs a path holds, in which layout, and in what order to read them.
//
// Layouts (docs/event-log-layouts.md has the details and the reasons):
//   single file     <appId>[_<attempt>][.<codec>][.inprogress]
//   rolling dir     eventlog_v2_<appId>[_<attempt>]/events_<N>_<appId>...[.<codec>][.compact],
//                   appstatus_<appId>...[.inprogress] marks completion
//   Spark 1.x dir   <appId>/EVENT_LOG_1 (+ APPLICATION_COMPLETE, SPARK_VERSION_<v>,
//                   COMPRESSION_CODEC_<codec>)
//   Databricks dir  <dir>/eventlog (+ eventlog-YYYY-MM-DD--HH-MM[.gz] parts, oldest first)
//   a directory holding any mix of the above: every log found, one LogSource per attempt.
//
// Discovery looks at names, sizes and times only, except that a file without a codec extension
// found while searching a directory has its first bytes read to tell a log from clutter. It
// does not decode anything; names are hints, the log's own events are authoritative.
//
// Thread-safety: the functions keep no state; concurrent calls are safe. Results describe the
// file system at the time of the call: a running application may add files afterwards.
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
  Codec codec = Codec::kNone;  // from the name (Spark 1.x: from COMPRESSION_CODEC_*; an unknown
                               // codec name there gives kNone and the magic bytes will disagree)
  uint64_t size = 0;           // bytes on disk
  bool compact = false;        // a rolling log's ".compact" file (History Server compaction)
  int64_t index = 0;           // rolling: N of events_N_; Spark 1.x: n of EVENT_LOG_n;
                               // Databricks: 1-based position in reading order; single file: 0
};

// One application attempt's event log, which may span several files.
struct LogSource {
  std::string path;  // the file or directory as found (the caller's path joined with the
                     // names below it; never made absolute)
  LogLayout layout = LogLayout::kSingleFile;
  std::string app_id;      // from the name, with the attempt suffix removed (SplitAppAndAttempt);
                           // Spark 1.x: the directory name; Databricks: empty. The log's own
                           // ApplicationStart event is authoritative.
  std::string attempt_id;  // from the name ("1" in eventlog_v2_application_1_2_1); empty when none
  bool in_progress = false;  // .inprogress file, rolling dir without a final appstatus
                             // marker, Spark 1.x dir without APPLICATION_COMPLETE. Databricks
                             // dirs have no completion signal and are reported as not in progress.
  std::vector<LogFile> files;  // reading order: for rolling, the newest .compact file (if any)
                               // first, then events_N with N above its index in numeric order
  uint64_t total_size = 0;     // sum of files[i].size
  int64_t mtime_ms = 0;        // newest modification time among `files`, ms since the epoch
};

// Finds the logs at `path` (symbolic links are followed):
//  - a regular file: that one log (any name; codec from its extension; never sniffed);
//  - a directory that is itself one log (rolling, Spark 1.x or Databricks layout): that log;
//    a rolling dir with no events_N file yet yields nothing;
//  - any other directory: every log inside it. Regular files whose names start with '.' or end
//    with ".crc"/".tmp" are skipped everywhere; so are files whose extension is not a codec's
//    ("README.md") and extension-less files whose first bytes are neither '{' nor a codec's
//    magic ("README", a driver's text log). Empty files are kept (a just-started log). Plain
//    subdirectories are searched the same way down to kMaxSearchDepth levels below `path`,
//    each directory once (symbolic-link loops are cut); hidden ones are skipped.
// Results are sorted by (app_id, attempt_id, path), attempt ids of digits compared as numbers.
// Attempts are not grouped: that is the model's job.
// Errors (the message and Status::path() name the offending path):
//  - kNotFound: `path` does not exist;
//  - kIOError: `path`, or a rolling dir found below it, cannot be stat'ed or listed. Plain
//    subdirectories that cannot be listed are skipped (like the History Server does), since
//    they were only being searched;
//  - kInvalidArgument: `path` is neither a regular file nor a directory (a FIFO, a device).
// A directory with no logs yields an empty vector.
Result<std::vector<LogSource>> DiscoverLogs(const std::string& path);

// How many directory levels below its argument DiscoverLogs searches plain subdirectories.
inline constexpr int kMaxSearchDepth = 3;

// Splits a file or directory name (without codec, ".inprogress" or "eventlog_v2_" parts) into
// the app id and the attempt id Spark appended as "_<attemptId>".
//
// App ids contain '_' and '-' themselves (application_1536831636016_59384), so a trailing
// "_<digits>" is taken as an attempt only when the text before it is a complete app id of a
// shape Spark's cluster managers generate:
//   local-<digits>                      local mode
//   app-<digits>-<digits>               standalone
//   application_<digits>_<digits>       YARN
//   spark-<32 lowercase hex digits>     Kubernetes
// "application_1536831636016_59384_1" -> ("application_1536831636016_59384", "1");
// "local-1430917381535_2" -> ("local-1430917381535", "2");
// "application_1506645932520_24630151" -> (whole name, ""): the text before its last '_' is
// not a complete YARN id. Any other name keeps its whole text as the app id and an empty
// attempt id.
// REQUIRES: app_id and attempt_id are non-null. Both are overwritten.
void SplitAppAndAttempt(const std::string& name, std::string* app_id, std::string* attempt_id);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_DISCOVERY_H_
