// Decoder for lz4-java's LZ4BlockOutputStream, the format of Spark's "lz4" codec.
//
// Layout (docs/codecs.md has the full table): each block is a 21-byte header
//   "LZ4Block" | token | compressed length (LE int32) | original length (LE int32) | check (LE)
// followed by the payload. token = method | level, method 0x10 stored, 0x20 LZ4 block data;
// the writer's block size is 1 << (10 + level). check = XXH32(decoded, 0x9747B28C) & 0x0FFFFFFF.
// A header with both lengths 0 is an end mark; like Spark's reader (stopOnEmptyBlock = false) we
// keep going after it, so concatenated streams read as one.
//
// Spark writes with syncFlush = false: flush() does not emit the block being filled, so a log
// that is still being written stops after some whole block with no end mark. That is a clean end
// of the data available so far (Read returns 0); an input that stops inside a block is kTruncated.
//
// PERF NOTES: when the caller's buffer can hold the whole block, LZ4_decompress_safe writes
// straight into it and the checksum is computed there; otherwise the block goes to one reused
// buffer of the token's block size. Stored blocks are handed out from the input buffer itself.
#include <fmt/format.h>
#include <lz4.h>

#include "core/decode/block_decoder.h"
#include "core/decode/decoders.h"
#include "core/decode/xxhash32.h"

namespace sparkmedic::decode {
namespace {

constexpr std::string_view kMagic("LZ4Block", 8);
constexpr size_t kHeaderSize = 21;  // magic 8 + token 1 + three int32
constexpr unsigned kMethodRaw = 0x10;
constexpr unsigned kMethodLz4 = 0x20;
constexpr unsigned kBaseLevel = 10;
constexpr uint32_t kSeed = 0x9747B28C;
constexpr uint32_t kCheckMask = 0x0FFFFFFF;  // lz4-java's asChecksum() keeps 28 bits
constexpr size_t kInitialCapacity = 128 * 1024;

struct BlockHeader {
  unsigned method = 0;
  size_t max_block = 0;
  size_t compressed_len = 0;
  size_t original_len = 0;
  uint32_t check = 0;
};

Status Bad(uint64_t at, std::string what) {
  return Status::Corruption(fmt::format("lz4: bad block header at byte {}: {}", at, what))
      .WithOffset(at);
}

// Validates the header the way lz4-java's LZ4BlockInputStream does, plus compressed <= block size
// (lz4-java stores a block raw whenever compressing would not shrink it).
Status ParseHeader(const char* p, uint64_t at, BlockHeader* h) {
  if (std::string_view(p, kMagic.size()) != kMagic) {
    return Bad(at, fmt::format("magic is {}, expected \"LZ4Block\"",
                               HexBytes(std::string_view(p, kMagic.size()))));
  }
  const unsigned token = static_cast<unsigned char>(p[8]);
  h->method = token & 0xF0;
  if (h->method != kMethodRaw && h->method != kMethodLz4) {
    return Bad(at, fmt::format("unknown compression method in token 0x{:02X}", token));
  }
  h->max_block = size_t{1} << (kBaseLevel + (token & 0x0F));
  const int32_t compressed = static_cast<int32_t>(LoadLe32(p + 9));
  const int32_t original = static_cast<int32_t>(LoadLe32(p + 13));
  h->check = LoadLe32(p + 17);
  if (compressed < 0 || original < 0) {
    return Bad(at,
               fmt::format("negative length (compressed {}, original {})", compressed, original));
  }
  h->compressed_len = static_cast<size_t>(compressed);
  h->original_len = static_cast<size_t>(original);
  if (h->original_len > h->max_block || h->compressed_len > h->max_block) {
    return Bad(at, fmt::format("lengths (compressed {}, original {}) exceed the block size {} "
                               "of token 0x{:02X}",
                               compressed, original, h->max_block, token));
  }
  if ((original == 0) != (compressed == 0)) {
    return Bad(at,
               fmt::format("compressed length {} with original length {}", compressed, original));
  }
  if (original == 0 && h->check != 0) return Bad(at, "end mark with a non-zero checksum");
  if (h->method == kMethodRaw && original != compressed) {
    return Bad(at, fmt::format("stored block with compressed length {} != original length {}",
                               compressed, original));
  }
  return Status::Ok();
}

Status VerifyCheck(const char* data, size_t len, const BlockHeader& h, uint64_t at) {
  const uint32_t actual = Xxh32(data, len, kSeed) & kCheckMask;
  if (actual == h.check) return Status::Ok();
  return Status::Corruption(fmt::format("lz4: checksum mismatch in the block at byte {}: stored "
                                        "0x{:07X}, computed 0x{:07X} over {} decoded bytes",
                                        at, h.check, actual, len))
      .WithOffset(at);
}

class Lz4BlockStream final : public BlockDecoder {
 public:
  explicit Lz4BlockStream(std::unique_ptr<InputStream> raw)
      : BlockDecoder(std::move(raw), kInitialCapacity) {}

 private:
  Result<Step> DecodeNext(char* dst, size_t n) override {
    BufferedSource& s = src();
    const uint64_t at = s.offset();
    Result<bool> have = s.Ensure(kHeaderSize);
    if (!have.ok()) return have.status();
    if (!*have) return AtEndOfInput(at);
    BlockHeader h;
    SPARKMEDIC_RETURN_IF_ERROR(ParseHeader(s.data(), at, &h));
    if (h.original_len == 0) {  // end mark; another stream may follow
      s.Consume(kHeaderSize);
      return Step{};
    }
    const size_t unit = kHeaderSize + h.compressed_len;
    have = s.Ensure(unit);
    if (!have.ok()) return have.status();
    if (!*have) {
      return Status::Truncated(fmt::format("lz4: input ends inside the block at byte {} ({} of "
                                           "{} payload bytes present)",
                                           at, s.available() - kHeaderSize, h.compressed_len))
          .WithOffset(at);
    }
    const char* payload = s.data() + kHeaderSize;
    if (h.method == kMethodRaw) {
      SPARKMEDIC_RETURN_IF_ERROR(VerifyCheck(payload, h.original_len, h, at));
      s.Consume(unit);
      SetPending(payload, h.original_len);
      return Step{};
    }
    const bool direct = h.original_len <= n;
    char* out = direct ? dst : out_.Get(h.max_block);
    const int got = LZ4_decompress_safe(payload, out, static_cast<int>(h.compressed_len),
                                        static_cast<int>(h.original_len));
    if (got < 0 || static_cast<size_t>(got) != h.original_len) {
      return Status::Corruption(
                 fmt::format("lz4: damaged compressed data in the block at byte {}", at))
          .WithOffset(at);
    }
    SPARKMEDIC_RETURN_IF_ERROR(VerifyCheck(out, h.original_len, h, at));
    s.Consume(unit);
    if (direct) return Step{h.original_len};
    SetPending(out, h.original_len);
    return Step{};
  }

  // The input ended before a whole header: nothing left is a clean end (with or without an end
  // mark before it), a few bytes that could start a header are a cut-off block.
  Result<Step> AtEndOfInput(uint64_t at) {
    const std::string_view rest(src().data(), src().available());
    if (rest.empty()) return Step{0, true};
    if (!MagicPrefixMatches(rest, kMagic)) {
      return Bad(at, fmt::format("magic is {}, expected \"LZ4Block\"", HexBytes(rest)));
    }
    return Status::Truncated(fmt::format("lz4: input ends inside the block header at byte {} ({} "
                                         "of {} bytes present)",
                                         at, rest.size(), kHeaderSize))
        .WithOffset(at);
  }

  GrowBuffer out_;
};

}  // namespace

std::unique_ptr<InputStream> NewLz4BlockStream(std::unique_ptr<InputStream> raw) {
  return std::make_unique<Lz4BlockStream>(std::move(raw));
}

}  // namespace sparkmedic::decode
