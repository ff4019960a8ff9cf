// XXH32 following the reference specification
// (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md, "XXH32 algorithm").
//
// PERF NOTES: four independent lanes per 16-byte stripe let the CPU overlap the multiplies;
// loads go through memcpy so unaligned input is fine and compiles to plain moves. lz4 blocks are
// at most a few MiB, so this is not on a path where SIMD variants would pay off.
#include "core/decode/xxhash32.h"

#include <bit>
#include <cstring>

namespace sparkmedic::decode {
namespace {

constexpr uint32_t kPrime1 = 0x9E3779B1U;
constexpr uint32_t kPrime2 = 0x85EBCA77U;
constexpr uint32_t kPrime3 = 0xC2B2AE3DU;
constexpr uint32_t kPrime4 = 0x27D4EB2FU;
constexpr uint32_t kPrime5 = 0x165667B1U;

inline uint32_t Load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

inline uint32_t Round(uint32_t acc, uint32_t lane) {
  acc += lane * kPrime2;
  acc = std::rotl(acc, 13);
  return acc * kPrime1;
}

}  // namespace

uint32_t Xxh32(const void* data, size_t len, uint32_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  const unsigned char* const end = p + len;
  uint32_t h;
  if (len >= 16) {
    uint32_t v1 = seed + kPrime1 + kPrime2;
    uint32_t v2 = seed + kPrime2;
    uint32_t v3 = seed;
    uint32_t v4 = seed - kPrime1;
    const unsigned char* const limit = end - 16;
    do {
      v1 = Round(v1, Load32(p));
      v2 = Round(v2, Load32(p + 4));
      v3 = Round(v3, Load32(p + 8));
      v4 = Round(v4, Load32(p + 12));
      p += 16;
    } while (p <= limit);
    h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
  } else {
    h = seed + kPrime5;
  }
  h += static_cast<uint32_t>(len);
  while (end - p >= 4) {
    h += Load32(p) * kPrime3;
    h = std::rotl(h, 17) * kPrime4;
    p += 4;
  }
  while (p < end) {
    h += *p * kPrime5;
    h = std::rotl(h, 11) * kPrime1;
    ++p;
  }
  h ^= h >> 15;
  h *= kPrime2;
  h ^= h >> 13;
  h *= kPrime3;
  h ^= h >> 16;
  return h;
}

}  // namespace sparkmedic::decode
