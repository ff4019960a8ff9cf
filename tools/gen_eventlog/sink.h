// Where generated event lines go: one file (plain, zstd or gzip), stdout, memory, or a Spark
// rolling directory (eventlog_v2_<app>/events_<n>_<app>[.zstd] + appstatus_<app> marker).
//
// The generator hands each complete JSON line (without the newline) to WriteLine, saying
// whether Spark would flush its writer after that event; the sink applies the flush policy
// (frame close for zstd, sync flush for gzip). Finish(true) closes everything as a finished
// application leaves it; Finish(false) leaves an in-progress log: every counted line is
// readable, any partial bytes written with WritePartial follow, streams are not terminated
// and names keep ".inprogress".
// Thread-safety: a sink is used by one thread.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_SINK_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_SINK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/status.h"

#include "options.h"

namespace sparkmedic::gen {

class LineSink {
 public:
  virtual ~LineSink() = default;

  // Appends `line` and a '\n'. `spark_flush`: Spark flushes after this event.
  // Errors: kIOError from the file system or the compressor.
  virtual Status WriteLine(std::string_view line, bool spark_flush) = 0;
  // Appends bytes that do not end a line (the cut last line of an in-progress log).
  virtual Status WritePartial(std::string_view bytes) = 0;
  // Completes (complete = true) or abandons as in-progress (false) the log. Call once.
  virtual Status Finish(bool complete) = 0;

  // Paths written so far (final names), in order. Empty for stdout and memory sinks.
  virtual std::vector<std::string> Files() const { return {}; }

  uint64_t lines() const { return lines_; }
  uint64_t uncompressed_bytes() const { return bytes_; }

 protected:
  uint64_t lines_ = 0;
  uint64_t bytes_ = 0;
};

// Collects plain text in memory (tests, benchmarks). `out` must outlive the sink.
std::unique_ptr<LineSink> NewMemorySink(std::string* out);

// Builds the sink the options ask for: stdout ("-"), a file, a directory (the Spark file name
// is chosen), or a rolling directory when rolling_max_bytes > 0.
// Errors: kInvalidArgument (rolling to stdout), kIOError (cannot create files).
Status NewSinkFromOptions(const Options& opts, std::string_view app_id,
                          std::unique_ptr<LineSink>* out);

// The codec's file-name extension including the dot ("" for none): ".zstd", ".gz".
std::string CodecExtension(Codec codec);

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_SINK_H_
