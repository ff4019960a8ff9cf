// Decoder for xerial snappy-java's SnappyOutputStream, the format of Spark's "snappy" codec.
//
// Layout: a 16-byte header (magic 82 'SNAPPY' 00, BE int32 version, BE int32 compatible
// version), then blocks of BE int32 compressed length + raw Snappy data. Where a length is
// expected, the first four magic bytes (0x82534E41, negative as an int32, so never a length)
// announce another full header: concatenated streams, which SnappyInputStream accepts too.
// Every flush() of the writer ends a block, so an in-progress file ends at a block boundary
// (clean end) unless the writer was caught mid-write (kTruncated).
//
// Not supported: SnappyInputStream's fallback that reads input without the magic as one raw
// Snappy block. Spark never writes that, and accepting it would mean buffering a whole file of
// unknown size; such input is reported as corruption.
//
// PERF NOTES: blocks decode straight into the caller's buffer when it has room, otherwise into
// one reused buffer.
#include <fmt/format.h>
#include <snappy-c.h>

#include "core/decode/block_decoder.h"
#include "core/decode/decoders.h"

namespace sparkmedic::decode {
namespace {

constexpr std::string_view kMagic("\x82SNAPPY\0", 8);
constexpr size_t kHeaderSize = 16;
constexpr uint32_t kMagicHead = 0x82534E41;  // the first four magic bytes read as a BE int32
constexpr size_t kLengthSize = 4;
// Spark writes 32 KiB blocks (spark.io.compression.snappy.blockSize); anything above this is
// taken for a damaged length rather than a reason to allocate.
constexpr size_t kMaxBlock = size_t{256} << 20;
// Snappy cannot expand input more than ~21x (a 3-byte copy yields at most 64 bytes); a block that
// claims more is damaged, and checking first keeps fuzzed headers from forcing huge buffers.
constexpr size_t kMaxExpansion = 22;
constexpr size_t kInitialCapacity = 128 * 1024;

class SnappyStream final : public BlockDecoder {
 public:
  explicit SnappyStream(std::unique_ptr<InputStream> raw)
      : BlockDecoder(std::move(raw), kInitialCapacity) {}

 private:
  Result<Step> DecodeNext(char* dst, size_t n) override {
    if (!header_seen_) return ReadHeader();
    BufferedSource& s = src();
    const uint64_t at = s.offset();
    Result<bool> have = s.Ensure(kLengthSize);
    if (!have.ok()) return have.status();
    if (!*have) {
      if (s.available() == 0) return Step{0, true};
      return Truncated(at, "the length of a block");
    }
    const uint32_t len = LoadBe32(s.data());
    if (len == kMagicHead) return ReadHeader();  // concatenated stream
    if (len == 0 || len > kMaxBlock) {
      return Status::Corruption(fmt::format("snappy: bad block length {} at byte {}",
                                            static_cast<int32_t>(len), at))
          .WithOffset(at);
    }
    have = s.Ensure(kLengthSize + len);
    if (!have.ok()) return have.status();
    if (!*have) return Truncated(at, fmt::format("the block of {} bytes", len));
    return Uncompress(s.data() + kLengthSize, len, at, dst, n);
  }

  Result<Step> Uncompress(const char* block, size_t len, uint64_t at, char* dst, size_t n) {
    size_t out_len = 0;
    if (snappy_uncompressed_length(block, len, &out_len) != SNAPPY_OK ||
        out_len > kMaxExpansion * len) {
      return Damaged(at);
    }
    const bool direct = out_len <= n;
    char* out = direct ? dst : out_.Get(out_len);
    size_t written = out_len;
    if (snappy_uncompress(block, len, out, &written) != SNAPPY_OK || written != out_len) {
      return Damaged(at);
    }
    src().Consume(kLengthSize + len);
    if (direct) return Step{out_len};
    SetPending(out, out_len);
    return Step{};
  }

  // The stream header, at the start or repeated where a block length was expected.
  Result<Step> ReadHeader() {
    BufferedSource& s = src();
    const uint64_t at = s.offset();
    Result<bool> have = s.Ensure(kHeaderSize);
    if (!have.ok()) return have.status();
    const std::string_view head(s.data(), std::min(s.available(), kHeaderSize));
    if (!header_seen_ && head.empty()) return Step{0, true};  // an empty stream
    if (!MagicPrefixMatches(head, kMagic)) {
      return Status::Corruption(fmt::format("snappy: bad stream header at byte {}: magic is {}, "
                                            "expected 82 53 4E 41 50 50 59 00 (\\x82SNAPPY\\0)",
                                            at, HexBytes(head)))
          .WithOffset(at);
    }
    if (!*have) return Truncated(at, "the stream header");
    // Version and compatible version (BE int32 each) are 1 in every snappy-java release; the
    // block format never changed, so they are not checked.
    s.Consume(kHeaderSize);
    header_seen_ = true;
    return Step{};
  }

  static Status Truncated(uint64_t at, std::string_view what) {
    return Status::Truncated(fmt::format("snappy: input ends inside {} at byte {}", what, at))
        .WithOffset(at);
  }
  static Status Damaged(uint64_t at) {
    return Status::Corruption(fmt::format("snappy: damaged compressed data in the block at "
                                          "byte {}",
                                          at))
        .WithOffset(at);
  }

  bool header_seen_ = false;
  GrowBuffer out_;
};

}  // namespace

std::unique_ptr<InputStream> NewSnappyStream(std::unique_ptr<InputStream> raw) {
  return std::make_unique<SnappyStream>(std::move(raw));
}

}  // namespace sparkmedic::decode
