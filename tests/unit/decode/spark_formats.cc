#include "spark_formats.h"

#include <algorithm>
#include <random>

#include <liblzf/lzf.h>
#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "core/decode/xxhash32.h"

namespace sparkmedic::testing {
namespace {

void PutLe32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutBe32(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutBe16(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>((v >> 8) & 0xFF));
  out->push_back(static_cast<char>(v & 0xFF));
}

// Splits `data` into pieces of `unit` bytes, encodes each with `one`, records unit ends.
template <typename F>
std::string Units(std::string_view data, size_t unit, std::string prefix,
                  std::vector<UnitEnd>* units, F one) {
  std::string out = std::move(prefix);
  if (units && !out.empty()) units->push_back({out.size(), 0});
  for (size_t pos = 0; pos < data.size(); pos += unit) {
    size_t len = std::min(unit, data.size() - pos);
    out += one(data.substr(pos, len));
    if (units) units->push_back({out.size(), pos + len});
  }
  return out;
}

}  // namespace

std::string Lz4JavaBlock(std::string_view data, unsigned level, bool force_raw) {
  std::string payload(static_cast<size_t>(LZ4_compressBound(static_cast<int>(data.size()))), '\0');
  int clen = LZ4_compress_default(data.data(), payload.data(), static_cast<int>(data.size()),
                                  static_cast<int>(payload.size()));
  bool raw = force_raw || clen <= 0 || static_cast<size_t>(clen) >= data.size();
  if (raw) {
    payload.assign(data);
  } else {
    payload.resize(static_cast<size_t>(clen));
  }
  std::string out = "LZ4Block";
  out.push_back(static_cast<char>((raw ? 0x10 : 0x20) | level));
  PutLe32(&out, static_cast<uint32_t>(payload.size()));
  PutLe32(&out, static_cast<uint32_t>(data.size()));
  PutLe32(&out, decode::Xxh32(data.data(), data.size(), 0x9747B28C) & 0x0FFFFFFF);
  return out + payload;
}

std::string Lz4JavaEndMark(unsigned level) {
  std::string out = "LZ4Block";
  out.push_back(static_cast<char>(0x10 | level));
  out.append(12, '\0');
  return out;
}

std::string Lz4JavaStream(std::string_view data, size_t block_size, bool end_mark,
                          std::vector<UnitEnd>* units) {
  unsigned level = 0;
  while ((size_t{1} << (10 + level)) < block_size) ++level;
  std::string out = Units(data, block_size, "", units,
                          [&](std::string_view piece) { return Lz4JavaBlock(piece, level); });
  if (end_mark) {
    out += Lz4JavaEndMark(level);
    if (units) units->push_back({out.size(), data.size()});
  }
  return out;
}

std::string SnappyJavaHeader() {
  std::string out("\x82SNAPPY\0", 8);
  PutBe32(&out, 1);
  PutBe32(&out, 1);
  return out;
}

std::string SnappyJavaBlock(std::string_view data) {
  size_t len = snappy_max_compressed_length(data.size());
  std::string block(len, '\0');
  snappy_compress(data.data(), data.size(), block.data(), &len);
  block.resize(len);
  std::string out;
  PutBe32(&out, static_cast<uint32_t>(len));
  return out + block;
}

std::string SnappyJavaStream(std::string_view data, size_t block_size,
                             std::vector<UnitEnd>* units) {
  return Units(data, block_size, SnappyJavaHeader(), units, SnappyJavaBlock);
}

std::string LzfChunk(std::string_view data, bool force_stored) {
  std::string enc(data.size() + 16, '\0');
  unsigned elen = 0;
  if (!force_stored && data.size() >= 2) {
    elen = lzf_compress(data.data(), static_cast<unsigned>(data.size()), enc.data(),
                        static_cast<unsigned>(data.size() - 1));
  }
  std::string out = "ZV";
  if (elen == 0) {
    out.push_back('\0');
    PutBe16(&out, static_cast<uint32_t>(data.size()));
    return out.append(data);
  }
  out.push_back('\1');
  PutBe16(&out, elen);
  PutBe16(&out, static_cast<uint32_t>(data.size()));
  return out.append(enc.data(), elen);
}

std::string LzfStream(std::string_view data, size_t chunk_size, std::vector<UnitEnd>* units) {
  return Units(data, chunk_size, "", units, [](std::string_view p) { return LzfChunk(p); });
}

std::string ZstdFrames(std::string_view data, size_t frame_size, std::vector<UnitEnd>* units) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  auto one = [&](std::string_view piece) {
    std::string out(ZSTD_compressBound(piece.size()), '\0');
    size_t n = ZSTD_compress2(cctx, out.data(), out.size(), piece.data(), piece.size());
    out.resize(ZSTD_isError(n) ? 0 : n);
    return out;
  };
  std::string out = Units(data, frame_size, "", units, one);
  ZSTD_freeCCtx(cctx);
  return out;
}

std::string GzipMembers(std::string_view data, size_t member_size, std::vector<UnitEnd>* units) {
  auto one = [](std::string_view piece) {
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, piece.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    zs.avail_in = static_cast<uInt>(piece.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
  };
  return Units(data, member_size, "", units, one);
}

std::string EncodeSmallUnits(Codec codec, std::string_view data, std::vector<UnitEnd>* units) {
  switch (codec) {
    case Codec::kLz4:
      return Lz4JavaStream(data, 1024, true, units);
    case Codec::kSnappy:
      return SnappyJavaStream(data, 1000, units);
    case Codec::kLzf:
      return LzfStream(data, 1000, units);
    case Codec::kZstd:
      return ZstdFrames(data, 1000, units);
    case Codec::kGzip:
      return GzipMembers(data, 1000, units);
    case Codec::kNone:
      break;
  }
  if (units) units->push_back({data.size(), data.size()});
  return std::string(data);
}

std::string MakeText(size_t bytes, uint32_t seed, double compressible) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> coin(0, 1);
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out;
  out.reserve(bytes);
  uint64_t n = 0;
  while (out.size() < bytes) {
    std::string line;
    if (coin(rng) < compressible) {
      line = "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":" + std::to_string(n % 17) +
             ",\"Task Info\":{\"Task ID\":" + std::to_string(n) + ",\"Host\":\"host-" +
             std::to_string(n % 5) + "\",\"Failed\":false}}";
    } else {
      size_t len = 20 + rng() % 400;
      for (size_t i = 0; i < len; ++i) line.push_back(kAlphabet[rng() % (sizeof kAlphabet - 1)]);
    }
    ++n;
    line.push_back('\n');
    out += line;
  }
  out.resize(bytes);
  if (!out.empty()) out.back() = '\n';
  return out;
}

Decoded ReadToEnd(InputStream& stream, size_t read_size) {
  Decoded d;
  std::string buf(read_size, '\0');
  for (;;) {
    Result<size_t> got = stream.Read(buf.data(), read_size);
    if (!got.ok()) {
      d.status = got.status();
      Result<size_t> again = stream.Read(buf.data(), read_size);
      d.sticky = !again.ok() && again.status().code() == d.status.code() &&
                 again.status().offset() == d.status.offset();
      return d;
    }
    if (*got == 0) return d;
    if (*got > read_size) {
      d.status = Status::Corruption("test harness: Read returned more than asked");
      return d;
    }
    d.bytes.append(buf.data(), *got);
  }
}

Decoded Decode(Codec codec, std::string_view encoded, size_t chunk, size_t read_size) {
  auto stream = MakeDecoder(codec, MakeChunkingStream(MakeMemoryStream(encoded), chunk));
  return ReadToEnd(*stream, read_size);
}

}  // namespace sparkmedic::testing
