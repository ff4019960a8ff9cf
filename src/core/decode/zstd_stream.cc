// Decoder for zstd frames, the format of Spark's "zstd" codec (zstd-jni writes standard frames).
//
// Spark 3.x/4.x closes a frame at every flush, so a log is many small concatenated frames, and
// an in-progress log usually ends at a frame boundary (clean end). A stream that ends inside a
// frame returns what the frame's complete zstd blocks decoded to and then kTruncated with the
// offset where that frame starts. Spark 2.4 did not close frames on flush: its in-progress
// zstd logs are one open frame and read as a prefix followed by kTruncated.
//
// Every frame must start with the zstd magic or a skippable-frame magic; we check that before
// libzstd sees the frame. Debian's libzstd also carries decoders for legacy (pre-1.0) frames,
// which no Spark version writes (zstd-jni has written v1 frames since 2016); letting them run
// would only expose little-fuzzed code to damaged input, and the fuzzer found that their results
// depend on how the input is chunked.
//
// PERF NOTES: ZSTD_decompressStream writes straight into the caller's buffer and reads from one
// fixed ZSTD_DStreamInSize() buffer, so the only cost over calling libzstd directly is the
// virtual Read of the file underneath and a 4-byte magic check per frame. One DStream is reused
// for every frame.
#include <cstring>

#include <fmt/format.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "core/decode/block_decoder.h"
#include "core/decode/decoders.h"

namespace sparkmedic::decode {
namespace {

constexpr uint32_t kFrameMagic = 0xFD2FB528;
constexpr uint32_t kSkippableMagicMask = 0xFFFFFFF0;
constexpr uint32_t kSkippableMagic = 0x184D2A50;
constexpr size_t kMagicSize = 4;

class ZstdStream final : public InputStream {
 public:
  explicit ZstdStream(std::unique_ptr<InputStream> raw)
      : raw_(std::move(raw)),
        ds_(ZSTD_createDStream()),
        in_capacity_(ZSTD_DStreamInSize()),
        in_buf_(new char[in_capacity_]) {
    in_ = ZSTD_inBuffer{in_buf_.get(), 0, 0};
  }
  ~ZstdStream() override { ZSTD_freeDStream(ds_); }
  ZstdStream(const ZstdStream&) = delete;
  ZstdStream& operator=(const ZstdStream&) = delete;

  Result<size_t> Read(char* dst, size_t n) override {
    if (!error_.ok()) return error_;
    if (n == 0) return Status::InvalidArgument("Read called with n == 0");
    if (ds_ == nullptr) {
      return Fail(Status::IOError("zstd: cannot allocate a decompression context"));
    }
    ZSTD_outBuffer out{dst, n, 0};
    for (;;) {
      if (!in_frame_ && in_.pos < in_.size) {  // the next bytes start a frame
        Status st = CheckFrameMagic();
        if (!st.ok()) return FailAfter(std::move(st), out.pos);
      }
      const size_t before = in_.pos;
      const size_t ret = ZSTD_decompressStream(ds_, &out, &in_);
      if (ZSTD_isError(ret)) return FailAfter(ZstdError(ret), out.pos);
      if (ret == 0) {  // a frame ended and all of it has been handed out
        in_frame_ = false;
        frame_start_ = in_base_ + in_.pos;
      } else if (in_.pos > before) {
        in_frame_ = true;
      }
      if (out.pos == out.size) return out.pos;
      if (in_.pos < in_.size) continue;  // stopped at a frame end with input left
      if (out.pos > 0) return out.pos;   // do not block on more input while holding output
      Result<bool> more = Refill();
      if (!more.ok()) return Fail(more.status());
      if (!*more) return in_frame_ ? Fail(TruncatedFrame()) : Result<size_t>(size_t{0});
    }
  }

  uint64_t raw_bytes_consumed() const override { return raw_->raw_bytes_consumed(); }

 private:
  // Reads more input after the unread bytes (moved to the front of the buffer); false at the
  // end of the input (not sticky, so growing files can be followed).
  Result<bool> Refill() {
    const size_t keep = in_.size - in_.pos;
    if (keep > 0 && in_.pos > 0) std::memmove(in_buf_.get(), in_buf_.get() + in_.pos, keep);
    in_base_ += in_.pos;
    Result<size_t> got = raw_->Read(in_buf_.get() + keep, in_capacity_ - keep);
    if (!got.ok()) return got.status();
    in_ = ZSTD_inBuffer{in_buf_.get(), keep + *got, 0};
    return *got > 0;
  }

  // REQUIRES: !in_frame_ and unread input. Needs the frame's first four bytes, reading more
  // input if fewer are buffered.
  Status CheckFrameMagic() {
    while (in_.size - in_.pos < kMagicSize) {
      Result<bool> more = Refill();
      if (!more.ok()) return more.status();
      if (!*more) break;
    }
    const std::string_view head(in_buf_.get() + in_.pos, std::min(in_.size - in_.pos, kMagicSize));
    if (head.size() == kMagicSize) {
      const uint32_t magic = LoadLe32(head.data());
      if (magic == kFrameMagic || (magic & kSkippableMagicMask) == kSkippableMagic) {
        return Status::Ok();
      }
    } else if (MagicPrefixMatches(head, "\x28\xB5\x2F\xFD")) {
      return TruncatedFrame();
    }
    return Status::Corruption(fmt::format("zstd: no zstd frame at byte {}: the bytes are {}, "
                                          "expected 28 B5 2F FD (or a skippable frame)",
                                          frame_start_, HexBytes(head)))
        .WithOffset(frame_start_);
  }

  Status TruncatedFrame() const {
    return Status::Truncated(fmt::format("zstd: input ends inside the frame that starts at byte {}",
                                         frame_start_))
        .WithOffset(frame_start_);
  }

  Status ZstdError(size_t ret) const {
    const bool too_big = ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge;
    Status st(too_big ? StatusCode::kNotSupported : StatusCode::kCorruption,
              fmt::format("zstd: {} in the frame that starts at byte {}", ZSTD_getErrorName(ret),
                          frame_start_));
    return std::move(st).WithOffset(frame_start_);
  }

  Status Fail(Status st) {
    error_ = std::move(st);
    return error_;
  }

  // Hands out the `produced` bytes this call decoded before `st`; the error comes next call.
  Result<size_t> FailAfter(Status st, size_t produced) {
    error_ = std::move(st);
    if (produced > 0) return produced;
    return error_;
  }

  std::unique_ptr<InputStream> raw_;
  ZSTD_DStream* ds_;
  size_t in_capacity_;
  std::unique_ptr<char[]> in_buf_;
  ZSTD_inBuffer in_{};
  uint64_t in_base_ = 0;      // offset of in_buf_[0] in the wrapped stream
  uint64_t frame_start_ = 0;  // offset where the current (or next) frame starts
  bool in_frame_ = false;     // some bytes of a frame were consumed and the frame has not ended
  Status error_;
};

}  // namespace

std::unique_ptr<InputStream> NewZstdStream(std::unique_ptr<InputStream> raw) {
  return std::make_unique<ZstdStream>(std::move(raw));
}

}  // namespace sparkmedic::decode
