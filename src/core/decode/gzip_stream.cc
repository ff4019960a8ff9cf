// Decoder for gzip files (RFC 1952), as Databricks archives event-log parts; any number of
// members, read as one stream (what `gzip -dc` does).
//
// Deflate emits bytes as it goes, so when the input ends inside a member the bytes decoded so
// far are returned (their CRC cannot be checked yet) and then kTruncated with the offset where
// that member starts. Bytes after a member that are not another gzip member (for example zero
// padding) are reported as corruption.
//
// PERF NOTES: inflate writes straight into the caller's buffer from one fixed 64 KiB input
// buffer; the z_stream is reset, not re-created, between members.
#include <fmt/format.h>
#include <zlib.h>

#include "core/decode/decoders.h"

namespace sparkmedic::decode {
namespace {

constexpr size_t kInCapacity = 64 * 1024;
constexpr int kGzipWindowBits = 16 + MAX_WBITS;  // 16: expect a gzip header and trailer

class GzipStream final : public InputStream {
 public:
  explicit GzipStream(std::unique_ptr<InputStream> raw)
      : raw_(std::move(raw)), in_buf_(new unsigned char[kInCapacity]) {
    init_ok_ = inflateInit2(&zs_, kGzipWindowBits) == Z_OK;
  }
  ~GzipStream() override {
    if (init_ok_) inflateEnd(&zs_);
  }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  Result<size_t> Read(char* dst, size_t n) override {
    if (!error_.ok()) return error_;
    if (n == 0) return Status::InvalidArgument("Read called with n == 0");
    if (!init_ok_) return Fail(Status::IOError("gzip: cannot initialise zlib"));
    zs_.next_out = reinterpret_cast<unsigned char*>(dst);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const uInt want = zs_.avail_out;
    for (;;) {
      if (between_members_ && zs_.avail_in == 0) {
        if (zs_.avail_out < want) return size_t{want - zs_.avail_out};
        Result<bool> more = Refill();
        if (!more.ok()) return Fail(more.status());
        if (!*more) return size_t{0};  // the input ends between members: a clean end
      }
      if (between_members_) StartMember();
      // Inflate even without new input: a match cut short by a full buffer may be pending.
      Status st = InflateStep();
      if (!st.ok()) {
        // Hand out what this call decoded before the damage; the error comes next call.
        error_ = std::move(st);
        if (zs_.avail_out < want) return size_t{want - zs_.avail_out};
        return error_;
      }
      if (zs_.avail_out == 0) return size_t{want};
      if (between_members_ || zs_.avail_in > 0) continue;
      if (zs_.avail_out < want) return size_t{want - zs_.avail_out};  // do not block on input
      Result<bool> more = Refill();
      if (!more.ok()) return Fail(more.status());
      if (!*more) return AtEndOfInput();
    }
  }

  uint64_t raw_bytes_consumed() const override { return raw_->raw_bytes_consumed(); }

 private:
  uint64_t InputOffset() const { return in_base_ + (in_size_ - zs_.avail_in); }

  // One inflate call; marks the end of a member.
  Status InflateStep() {
    const uInt in_before = zs_.avail_in;
    const uInt out_before = zs_.avail_out;
    const int r = inflate(&zs_, Z_NO_FLUSH);
    if (r == Z_STREAM_END) {
      between_members_ = true;
      return Status::Ok();
    }
    if (r == Z_OK) return Status::Ok();
    if (r == Z_BUF_ERROR) {  // no progress possible: normal when the input is used up
      if (in_before == 0 || zs_.avail_in != in_before || zs_.avail_out != out_before) {
        return Status::Ok();
      }
      return Damaged("inflate made no progress");  // defensive: never spin
    }
    return Damaged(zs_.msg ? zs_.msg : zError(r));
  }

  Status Damaged(std::string_view what) const {
    return Status::Corruption(
               fmt::format("gzip: {} in the member that starts at byte {}", what, member_start_))
        .WithOffset(member_start_);
  }

  void StartMember() {
    inflateReset(&zs_);
    between_members_ = false;
    member_start_ = InputOffset();
  }

  Result<size_t> AtEndOfInput() {
    if (between_members_) return size_t{0};
    return Fail(Status::Truncated(fmt::format("gzip: input ends inside the member that starts "
                                              "at byte {}",
                                              member_start_))
                    .WithOffset(member_start_));
  }

  Result<bool> Refill() {
    Result<size_t> got = raw_->Read(reinterpret_cast<char*>(in_buf_.get()), kInCapacity);
    if (!got.ok()) return got.status();
    in_base_ += in_size_;
    in_size_ = *got;
    zs_.next_in = in_buf_.get();
    zs_.avail_in = static_cast<uInt>(*got);
    return *got > 0;
  }

  Status Fail(Status st) {
    error_ = std::move(st);
    return error_;
  }

  std::unique_ptr<InputStream> raw_;
  std::unique_ptr<unsigned char[]> in_buf_;
  z_stream zs_{};
  bool init_ok_ = false;
  bool between_members_ = true;  // no member started yet, or the last one ended
  size_t in_size_ = 0;
  uint64_t in_base_ = 0;
  uint64_t member_start_ = 0;
  Status error_;
};

}  // namespace

std::unique_ptr<InputStream> NewGzipStream(std::unique_ptr<InputStream> raw) {
  return std::make_unique<GzipStream>(std::move(raw));
}

}  // namespace sparkmedic::decode
