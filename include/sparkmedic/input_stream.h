// InputStream: a pull-based byte stream, the one interface between files, codecs and the
// line reader. A decoder is an InputStream that wraps another InputStream.
#ifndef SPARKMEDIC_INPUT_STREAM_H_
#define SPARKMEDIC_INPUT_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sparkmedic/status.h"

namespace sparkmedic {

// Not thread-safe: one reader at a time.
class InputStream {
 public:
  virtual ~InputStream() = default;

  // Reads up to `n` bytes into `dst` and returns how many were written.
  // 0 means the stream ended cleanly. Errors:
  //  - kTruncated: the underlying data ends inside a compressed block or frame. Every byte
  //    that could be decoded before that point has already been returned by earlier calls.
  //    A log that is still being written ends like this; the caller decides if that is fine.
  //  - kCorruption: bad magic, checksum or compressed data, with the file offset.
  //  - kIOError: the operating system failed to read.
  // After an error, further calls return the same error.
  // REQUIRES: n > 0
  virtual Result<size_t> Read(char* dst, size_t n) = 0;

  // Bytes consumed from the file underneath all decoders so far (progress, statistics).
  virtual uint64_t raw_bytes_consumed() const = 0;
};

// Opens `path` for sequential reading with read(2) in large chunks (no mmap, so resident
// memory stays bounded however large the file is). Errors: kNotFound, kIOError.
Result<std::unique_ptr<InputStream>> OpenFileStream(const std::string& path);

// A stream over bytes held in memory; `data` must outlive the stream. For tests and fuzzing.
std::unique_ptr<InputStream> MakeMemoryStream(std::string_view data);

// A stream that returns at most `max_chunk` bytes per Read of `inner`; tests use it to run
// readers at awkward chunk sizes.
std::unique_ptr<InputStream> MakeChunkingStream(std::unique_ptr<InputStream> inner,
                                                size_t max_chunk);

// Reads `stream` to its end into a string. Stops at the first error and returns it;
// `partial`, when given, receives what was read before the error.
Result<std::string> ReadAll(InputStream& stream, std::string* partial = nullptr);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_INPUT_STREAM_H_
