// Decoder for ning compress-lzf's LZFOutputStream, the format of Spark's "lzf" codec.
//
// Layout: chunks, each "ZV" + type + BE uint16 lengths:
//   type 0 (stored):     'Z' 'V' 00 len(2)                 then len raw bytes
//   type 1 (compressed): 'Z' 'V' 01 encLen(2) origLen(2)   then encLen bytes of LZF data
// A chunk holds at most 65 535 decoded bytes. ning's LZF data is liblzf's block format, so
// lzf_decompress() decodes it. Spark sets finishBlockOnFlush, so every flush ends a chunk and an
// in-progress file ends at a chunk boundary unless the writer was caught mid-write.
//
// PERF NOTES: compressed chunks decode straight into the caller's buffer when it has room, else
// into one fixed 64 KiB buffer; stored chunks are handed out from the input buffer.
#include <fmt/format.h>
#include <liblzf/lzf.h>

#include "core/decode/block_decoder.h"
#include "core/decode/decoders.h"

namespace sparkmedic::decode {
namespace {

constexpr size_t kStoredHeader = 5;
constexpr size_t kCompressedHeader = 7;
constexpr size_t kMaxChunk = 0xFFFF;
constexpr size_t kInitialCapacity = 128 * 1024;

class LzfStream final : public BlockDecoder {
 public:
  explicit LzfStream(std::unique_ptr<InputStream> raw)
      : BlockDecoder(std::move(raw), kInitialCapacity), out_(new char[kMaxChunk]) {}

 private:
  Result<Step> DecodeNext(char* dst, size_t n) override {
    BufferedSource& s = src();
    const uint64_t at = s.offset();
    Result<bool> have = s.Ensure(kStoredHeader);
    if (!have.ok()) return have.status();
    SPARKMEDIC_RETURN_IF_ERROR(CheckSignature(at));
    if (!*have) {
      if (s.available() == 0) return Step{0, true};
      return Truncated(at, "the header of the chunk");
    }
    if (s.data()[2] == 0) return Stored(at);
    have = s.Ensure(kCompressedHeader);
    if (!have.ok()) return have.status();
    if (!*have) return Truncated(at, "the header of the chunk");
    const size_t enc = LoadBe16(s.data() + 3);
    const size_t orig = LoadBe16(s.data() + 5);
    if (enc == 0 || orig == 0) {
      return Status::Corruption(fmt::format("lzf: compressed chunk at byte {} with encoded length "
                                            "{} and original length {}",
                                            at, enc, orig))
          .WithOffset(at);
    }
    have = s.Ensure(kCompressedHeader + enc);
    if (!have.ok()) return have.status();
    if (!*have) return Truncated(at, "the chunk");
    const bool direct = orig <= n;
    char* out = direct ? dst : out_.get();
    const unsigned got = lzf_decompress(s.data() + kCompressedHeader, static_cast<unsigned>(enc),
                                        out, static_cast<unsigned>(orig));
    if (got != orig) {
      return Status::Corruption(
                 fmt::format("lzf: damaged compressed data in the chunk at byte {}", at))
          .WithOffset(at);
    }
    s.Consume(kCompressedHeader + enc);
    if (direct) return Step{orig};
    SetPending(out, orig);
    return Step{};
  }

  // Checks "ZV" + a known type on however many of those three bytes are present.
  Status CheckSignature(uint64_t at) {
    const std::string_view head(src().data(), std::min<size_t>(src().available(), 3));
    const bool ok =
        MagicPrefixMatches(head, "ZV") && (head.size() < 3 || head[2] == 0 || head[2] == 1);
    if (ok) return Status::Ok();
    return Status::Corruption(fmt::format("lzf: bad chunk header at byte {}: {}, expected 'Z' 'V' "
                                          "then type 00 or 01",
                                          at, HexBytes(head)))
        .WithOffset(at);
  }

  Result<Step> Stored(uint64_t at) {
    BufferedSource& s = src();
    const size_t len = LoadBe16(s.data() + 3);
    Result<bool> have = s.Ensure(kStoredHeader + len);
    if (!have.ok()) return have.status();
    if (!*have) return Truncated(at, "the chunk");
    const char* data = s.data() + kStoredHeader;
    s.Consume(kStoredHeader + len);
    SetPending(data, len);  // an empty stored chunk yields nothing and the loop moves on
    return Step{};
  }

  static Status Truncated(uint64_t at, std::string_view what) {
    return Status::Truncated(fmt::format("lzf: input ends inside {} at byte {}", what, at))
        .WithOffset(at);
  }

  std::unique_ptr<char[]> out_;
};

}  // namespace

std::unique_ptr<InputStream> NewLzfStream(std::unique_ptr<InputStream> raw) {
  return std::make_unique<LzfStream>(std::move(raw));
}

}  // namespace sparkmedic::decode
