// ChunkReader: a decoded stream → chunks of whole lines (about 4 MiB each), each followed by
// kJsonPadding readable zero bytes. Chunks are the unit of parallel parsing: the reader only
// looks for the last '\n' of each block it reads; splitting into lines happens in the workers.
#ifndef SPARKMEDIC_CORE_MODEL_CHUNK_READER_H_
#define SPARKMEDIC_CORE_MODEL_CHUNK_READER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "sparkmedic/input_stream.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

// Recycles chunk buffers. A fresh multi-megabyte buffer per chunk costs a page fault per 4 KiB
// (and the faults of several threads serialise on the process's memory map), which made the
// decoding reader the bottleneck; reused buffers are already mapped. Thread-safe.
class ChunkBufferPool {
 public:
  // A buffer of at least `bytes` (+ padding) — a recycled one when it is big enough.
  std::unique_ptr<char[]> Get(size_t bytes, size_t* capacity);
  // Gives a buffer back; `capacity` as Get reported it.
  void Put(std::unique_ptr<char[]> buf, size_t capacity);

 private:
  std::mutex mu_;
  std::vector<std::pair<std::unique_ptr<char[]>, size_t>> free_;
};

struct Chunk {
  std::unique_ptr<char[]> data;  // size bytes + kJsonPadding zero bytes
  size_t capacity = 0;           // usable bytes of data (padding not included)
  size_t size = 0;
  uint64_t offset = 0;  // decoded-stream offset of data[0]
  // True for the stream's last chunk: its last line may lack a '\n'.
  bool last = false;
  // Lines longer than the limit that were dropped just before this chunk's data (each counts
  // as one line), and the decoded offset of the first.
  uint64_t oversized_lines = 0;
  uint64_t oversized_offset = 0;
};

// Not thread-safe. `in` must outlive the reader.
class ChunkReader {
 public:
  // `pool` (may be null) supplies chunk buffers; it must outlive the reader.
  ChunkReader(InputStream* in, size_t max_line_bytes, ChunkBufferPool* pool = nullptr,
              size_t chunk_bytes = size_t{4} << 20);

  // Fills *chunk with the next chunk and returns true, or returns false when the stream is
  // exhausted (status() then says whether it ended cleanly).
  bool Next(Chunk* chunk);

  const Status& status() const { return status_; }
  uint64_t decoded_bytes() const { return decoded_; }

 private:
  InputStream* in_;
  ChunkBufferPool* pool_;
  size_t max_line_;
  size_t chunk_bytes_;
  std::unique_ptr<char[]> carry_;  // the unfinished line carried into the next chunk
  size_t carry_size_ = 0;
  size_t carry_cap_ = 0;
  uint64_t offset_ = 0;  // decoded offset of the carry's first byte
  uint64_t decoded_ = 0;
  bool eof_ = false;
  Status status_;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CORE_MODEL_CHUNK_READER_H_
