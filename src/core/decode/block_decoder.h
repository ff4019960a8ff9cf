// Building blocks shared by the block-oriented decoders (lz4-java, snappy-java, ning lzf):
// a buffered view of the compressed input that knows its file offset, and a base class that
// owns the pull loop, the pending decoded bytes and the sticky error.
//
// Internal to src/core/decode; the public surface is include/sparkmedic/codec.h.
#ifndef SPARKMEDIC_CORE_DECODE_BLOCK_DECODER_H_
#define SPARKMEDIC_CORE_DECODE_BLOCK_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sparkmedic/input_stream.h"
#include "sparkmedic/status.h"

namespace sparkmedic::decode {

// A growable window over an InputStream. Bytes stay in one reused buffer; the buffer grows only
// when a single unit (block + header) does not fit, and then at most doubles per step while real
// input keeps arriving, so its size stays below twice the largest unit actually present.
// Not thread-safe.
class BufferedSource {
 public:
  BufferedSource(std::unique_ptr<InputStream> in, size_t initial_capacity);

  // Makes at least `need` bytes available at data(). Returns true when they are, false when the
  // input ended first (available() then holds everything that is left). Errors of the
  // underlying stream are returned as they are. The end is not sticky: a later call reads again,
  // so a file that grows can be followed.
  // Invalidates pointers previously obtained from data().
  Result<bool> Ensure(size_t need);

  // The buffered bytes; valid until the next Ensure().
  const char* data() const { return buf_.get() + begin_; }
  size_t available() const { return end_ - begin_; }
  // Drops `n` buffered bytes. Does not move or overwrite them, so pointers into data() stay
  // valid until the next Ensure(). REQUIRES: n <= available()
  void Consume(size_t n) {
    begin_ += n;
    offset_ += n;
  }
  // Offset of data()[0] from the start of the wrapped stream (the file offset when the wrapped
  // stream is the file).
  uint64_t offset() const { return offset_; }
  uint64_t raw_bytes_consumed() const { return in_->raw_bytes_consumed(); }

 private:
  void MakeRoom(size_t need);

  std::unique_ptr<InputStream> in_;
  std::unique_ptr<char[]> buf_;
  size_t capacity_;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t offset_ = 0;
};

// Base of the block decoders. Read() hands out pending bytes first, then asks DecodeNext() for
// the next unit; errors become sticky.
class BlockDecoder : public InputStream {
 public:
  Result<size_t> Read(char* dst, size_t n) final;
  uint64_t raw_bytes_consumed() const final { return src_.raw_bytes_consumed(); }

 protected:
  BlockDecoder(std::unique_ptr<InputStream> in, size_t initial_capacity)
      : src_(std::move(in), initial_capacity) {}

  // What one DecodeNext() call did.
  struct Step {
    size_t direct = 0;  // bytes written straight into the caller's buffer
    bool end = false;   // the input ended cleanly at a unit boundary
  };

  // Decodes the next unit of input. Either writes its bytes into dst[0..n) (Step::direct),
  // or leaves them with SetPending(), or consumes a unit that yields no bytes (an end mark, a
  // repeated stream header), or reports the clean end. Errors carry the file offset.
  virtual Result<Step> DecodeNext(char* dst, size_t n) = 0;

  // Makes [data, data + len) the next bytes Read() returns. `data` must stay valid until they
  // are handed out: the decoder's own buffer, or src() bytes already Consume()d (they are not
  // overwritten before the next Ensure(), which happens only once the pending bytes are gone).
  void SetPending(const char* data, size_t len) {
    pending_ = data;
    pending_len_ = len;
  }

  BufferedSource& src() { return src_; }

 private:
  BufferedSource src_;
  const char* pending_ = nullptr;
  size_t pending_len_ = 0;
  Status error_;
};

// A reusable output buffer that only grows (to the largest block seen).
class GrowBuffer {
 public:
  // Returns a buffer of at least `n` bytes; previous contents are not kept.
  char* Get(size_t n) {
    if (n > capacity_) {
      buf_.reset(new char[n]);
      capacity_ = n;
    }
    return buf_.get();
  }

 private:
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
};

// Big-endian and little-endian loads from unaligned bytes.
uint32_t LoadBe32(const char* p);
uint16_t LoadBe16(const char* p);
uint32_t LoadLe32(const char* p);

// True when `have` is a prefix of `magic` or `magic` a prefix of `have`.
bool MagicPrefixMatches(std::string_view have, std::string_view magic);

// "4C 5A 34 ..." for messages: up to `max` bytes of `bytes` in hex.
std::string HexBytes(std::string_view bytes, size_t max = 8);

}  // namespace sparkmedic::decode

#endif  // SPARKMEDIC_CORE_DECODE_BLOCK_DECODER_H_
