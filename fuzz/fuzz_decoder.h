// The body shared by the decoder fuzz targets: decode the input twice, once fed and read in
// tiny pieces and once in big ones, and trap on anything the InputStream contract forbids:
// a Read returning more than asked, errors that are not sticky, or results that depend on how
// the input was chunked. Memory errors and undefined behaviour are the sanitizers' job.
#ifndef SPARKMEDIC_FUZZ_FUZZ_DECODER_H_
#define SPARKMEDIC_FUZZ_FUZZ_DECODER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sparkmedic/codec.h"
#include "sparkmedic/input_stream.h"

namespace sparkmedic::fuzz {

// Output beyond these is not compared: zstd and gzip can expand a few KiB into gigabytes, and
// reading megabytes a few bytes at a time would slow the fuzzer to a crawl.
constexpr size_t kSmallPiecesCap = size_t{256} << 10;
constexpr size_t kBigPiecesCap = size_t{4} << 20;

struct Outcome {
  std::string bytes;
  StatusCode code = StatusCode::kOk;
  uint64_t offset = UINT64_MAX;
  bool capped = false;
};

inline Outcome Run(Codec codec, std::string_view input, size_t chunk, size_t read_size,
                   size_t cap) {
  Outcome out;
  auto stream = MakeDecoder(codec, MakeChunkingStream(MakeMemoryStream(input), chunk));
  std::string buf(read_size, '\0');
  for (;;) {
    Result<size_t> got = stream->Read(buf.data(), read_size);
    if (!got.ok()) {
      out.code = got.status().code();
      out.offset = got.status().offset().value_or(UINT64_MAX - 1);
      Result<size_t> again = stream->Read(buf.data(), read_size);
      if (again.ok() || again.status().code() != out.code) __builtin_trap();  // not sticky
      break;
    }
    if (*got > read_size) __builtin_trap();
    if (*got == 0) break;
    out.bytes.append(buf.data(), *got);
    if (out.bytes.size() >= cap) {
      out.capped = true;
      break;
    }
  }
  if (stream->raw_bytes_consumed() > input.size()) __builtin_trap();
  return out;
}

inline int FuzzDecoder(Codec codec, const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The input's size picks the small piece sizes, so mutations that grow or shrink the input
  // also explore other split points, and real files can be used as seeds unchanged.
  const Outcome small = Run(codec, input, 1 + size % 13, 1 + (size / 13) % 61, kSmallPiecesCap);
  const Outcome big = Run(codec, input, 1 << 16, 1 << 16, kBigPiecesCap);
  if (small.capped || big.capped) {
    const size_t n = std::min(small.bytes.size(), big.bytes.size());
    if (small.bytes.compare(0, n, big.bytes, 0, n) != 0) __builtin_trap();
    return 0;
  }
  if (small.code != big.code || small.offset != big.offset) __builtin_trap();
  if (small.bytes == big.bytes) return 0;
  // zstd and gzip stream their output, and how much of a *damaged* frame or member comes out
  // before the damage is found depends on the buffer sizes (libzstd decodes a whole frame in one
  // shot when input and output allow). Anything else must not depend on chunking.
  const bool streaming = codec == Codec::kZstd || codec == Codec::kGzip;
  if (!streaming || small.code != StatusCode::kCorruption) __builtin_trap();
  const size_t n = std::min(small.bytes.size(), big.bytes.size());
  if (small.bytes.compare(0, n, big.bytes, 0, n) != 0) __builtin_trap();
  return 0;
}

}  // namespace sparkmedic::fuzz

#endif  // SPARKMEDIC_FUZZ_FUZZ_DECODER_H_
