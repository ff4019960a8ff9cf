// LineReader: a decoded byte stream → lines, each with its number and byte offset, each
// followed by at least kJsonPadding readable bytes (so simdjson can parse it in place).
//
// PERF NOTES: one large buffer (4 MiB, grown only for longer lines) is filled with as few
// Read calls as possible; lines are found with memchr and handed out as views, never copied.
// Only the unfinished tail is moved to the front before each refill.
#ifndef SPARKMEDIC_CORE_EVENTLOG_LINE_READER_H_
#define SPARKMEDIC_CORE_EVENTLOG_LINE_READER_H_

#include <cstdint>
#include <memory>

#include "sparkmedic/input_stream.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

struct Line {
  const char* data = nullptr;
  size_t len = 0;        // without the '\n' (and without a '\r' before it)
  size_t capacity = 0;   // readable bytes from data (>= len + kJsonPadding)
  uint64_t number = 0;   // 1-based
  uint64_t offset = 0;   // byte offset of data[0] in the decoded stream
  bool terminated = true;  // false for a last line with no '\n' after it
};

// Not thread-safe. `in` must outlive the reader.
class LineReader {
 public:
  LineReader(InputStream* in, size_t max_line_bytes, size_t initial_buffer = size_t{4} << 20);

  // Stores the next non-blank line in *line and returns true, or returns false at the end of
  // the stream or at a stream error (status() then says which; every line before the error
  // was delivered). The view stays valid until the next call.
  bool Next(Line* line);

  // OK at a clean end; otherwise the stream's error (kTruncated, kCorruption, kIOError).
  const Status& status() const { return status_; }
  uint64_t decoded_bytes() const { return decoded_; }
  // Lines skipped because they were longer than max_line_bytes, and the first one's place.
  uint64_t oversized_lines() const { return oversized_; }
  uint64_t first_oversized_line() const { return first_oversized_line_; }
  uint64_t first_oversized_offset() const { return first_oversized_offset_; }

 private:
  bool Fill();  // reads more; false when nothing more can come

  InputStream* in_;
  size_t max_line_;
  std::unique_ptr<char[]> buf_;
  size_t cap_;           // usable bytes (padding comes after)
  size_t begin_ = 0;     // first unconsumed byte
  size_t end_ = 0;       // end of valid data
  size_t scan_ = 0;      // where the search for '\n' resumes
  uint64_t base_offset_ = 0;  // stream offset of buf_[0]
  uint64_t line_no_ = 0;
  uint64_t decoded_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // inside an oversized line
  uint64_t oversized_ = 0, first_oversized_line_ = 0, first_oversized_offset_ = 0;
  Status status_;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CORE_EVENTLOG_LINE_READER_H_
