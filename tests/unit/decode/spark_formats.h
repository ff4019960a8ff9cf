// Test-only writers of the stream formats Spark's codecs produce, built on the C libraries, so
// tests can make fixtures of any shape (and damage them) without Java. Each writer can report
// where its units (blocks, chunks, frames, members) end, which is what the truncation tests
// need. The Java-written files in tests/unit/decode/codecgen_test.cc check these against the
// real thing.
#ifndef SPARKMEDIC_TESTS_UNIT_DECODE_SPARK_FORMATS_H_
#define SPARKMEDIC_TESTS_UNIT_DECODE_SPARK_FORMATS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/codec.h"
#include "sparkmedic/input_stream.h"
#include "sparkmedic/status.h"

namespace sparkmedic::testing {

// Where one encoded unit ends, and how many decoded bytes precede that point.
struct UnitEnd {
  size_t encoded_end;
  size_t decoded_end;
};

// lz4-java: one block of `data` (stored when compressing does not shrink it, as lz4-java does,
// or always when `force_raw`), with the token level for `block_size` = 1 << (10 + level).
std::string Lz4JavaBlock(std::string_view data, unsigned level = 5, bool force_raw = false);
std::string Lz4JavaEndMark(unsigned level = 5);
std::string Lz4JavaStream(std::string_view data, size_t block_size = 32768, bool end_mark = true,
                          std::vector<UnitEnd>* units = nullptr);

// snappy-java: 16-byte header, then BE length + raw snappy block per `block_size` bytes.
std::string SnappyJavaHeader();
std::string SnappyJavaBlock(std::string_view data);
std::string SnappyJavaStream(std::string_view data, size_t block_size = 32768,
                             std::vector<UnitEnd>* units = nullptr);

// ning compress-lzf: compressed chunk when that is smaller, stored chunk otherwise.
std::string LzfChunk(std::string_view data, bool force_stored = false);
std::string LzfStream(std::string_view data, size_t chunk_size = 65535,
                      std::vector<UnitEnd>* units = nullptr);

// One zstd frame (with content checksum) per `frame_size` bytes.
std::string ZstdFrames(std::string_view data, size_t frame_size,
                       std::vector<UnitEnd>* units = nullptr);

// One gzip member per `member_size` bytes.
std::string GzipMembers(std::string_view data, size_t member_size,
                        std::vector<UnitEnd>* units = nullptr);

// Encodes `data` in `codec`'s Spark format with small units (so there are many of them).
std::string EncodeSmallUnits(Codec codec, std::string_view data, std::vector<UnitEnd>* units);

// Text lines ending in '\n', `bytes` long in total (exactly), deterministic for `seed`.
// `compressible` in [0,1]: the share of lines that repeat an event-log-like template; the
// others are random letters and digits (incompressible for these codecs). ASCII only.
std::string MakeText(size_t bytes, uint32_t seed, double compressible);

// What reading a decoder to its end gave.
struct Decoded {
  std::string bytes;   // everything returned before the end or the error
  Status status;       // OK for a clean end
  bool sticky = true;  // a Read after the error returned the same code and offset
};

// Reads `stream` with Read(dst, read_size) until 0 or an error.
Decoded ReadToEnd(InputStream& stream, size_t read_size);

// Decodes `encoded` as `codec`, feeding at most `chunk` bytes per Read of the source.
Decoded Decode(Codec codec, std::string_view encoded, size_t chunk = 1 << 20,
               size_t read_size = 1 << 16);

}  // namespace sparkmedic::testing

#endif  // SPARKMEDIC_TESTS_UNIT_DECODE_SPARK_FORMATS_H_
