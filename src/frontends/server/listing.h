// The History Server's application list, read cheaply: the few facts one log contributes to
// /applications, without building the model (docs/rest-api.md, "What is read when").
//
// What is read, as Spark's FsHistoryProvider does it:
//  - the head: every file in reading order from the start, only until ApplicationStart has
//    been seen (LogStart, which Spark writes first, gives the version). Lines are tested for
//    the event names by a substring search and only matching lines are parsed;
//  - the end (logs that are not in progress only): SparkListenerApplicationEnd, looked for in
//    the last non-empty file. An uncompressed file has only its last kEndEventTailBytes read
//    (spark.history.fs.endEventReparseChunkSize); a compressed one is decoded to its end, but
//    only lines containing the event name are parsed;
//  - every other file of the log has only its first bytes read (the codec check every load
//    makes, so a log whose load would fail is not listed either).
// An in-progress log (".inprogress", a rolling dir without its final appstatus marker, a
// Spark 1.x dir without APPLICATION_COMPLETE) is running: completed false, end time kNoTime.
#ifndef SPARKMEDIC_FRONTENDS_SERVER_LISTING_H_
#define SPARKMEDIC_FRONTENDS_SERVER_LISTING_H_

#include <cstdint>
#include <string>

#include "sparkmedic/discovery.h"
#include "sparkmedic/model.h"
#include "sparkmedic/status.h"

namespace sparkmedic::server {

// How much of an uncompressed last file is read for the ApplicationEnd event (Spark's
// spark.history.fs.endEventReparseChunkSize default, 1m). An ApplicationEnd followed by more
// than this many bytes of other events is not seen, as in the History Server.
inline constexpr uint64_t kEndEventTailBytes = uint64_t{1} << 20;

// What one log contributes to the application list. For every log whose ApplicationStart
// and ApplicationEnd lie where the reads above look, the values equal those of the loaded
// model (LoadApplication): app_id and attempt_id are the ApplicationStart's, else the
// LogSource's (from the name); completed is "ApplicationEnd seen and not in progress".
struct ListingFacts {
  std::string app_id;      // empty when neither ApplicationStart nor the name gives one
  std::string attempt_id;  // empty: no attempt id
  std::string app_name;
  TimeMs start_time = kNoTime;
  TimeMs end_time = kNoTime;  // the ApplicationEnd's Timestamp when completed, else kNoTime
  bool completed = false;
  std::string spark_user;
  std::string spark_version;  // from SparkListenerLogStart; empty when the log has none
  bool has_application_start = false;
  // What the reads cost: bytes taken from disk and decoded bytes looked at.
  uint64_t raw_bytes_read = 0;
  uint64_t decoded_bytes_scanned = 0;
};

// Reads the listing facts of `source` as described above. Thread-safe (no shared state).
// Errors, exactly where LoadApplication would fail on the parts read: kNotFound/kIOError
// when a file cannot be opened or read; kCorruption when a file's bytes disagree with its
// codec extension or the first file is not an event log (its first line is not JSON).
// Damaged lines and streams are skipped, as the loader skips them.
Result<ListingFacts> ReadListingFacts(const LogSource& source);

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_LISTING_H_
