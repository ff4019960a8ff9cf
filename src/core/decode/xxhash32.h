// XXH32, the 32-bit xxHash of Yann Collet, as lz4-java computes it for LZ4Block checksums.
//
// Debian's liblz4-dev does not install xxhash.h (liblz4 bundles xxHash under private, namespaced
// symbols), so the core carries this small portable implementation.
#ifndef SPARKMEDIC_CORE_DECODE_XXHASH32_H_
#define SPARKMEDIC_CORE_DECODE_XXHASH32_H_

#include <cstddef>
#include <cstdint>

namespace sparkmedic::decode {

// Returns XXH32(data[0..len), seed). `data` may be null when `len` is 0. Thread-safe (pure).
uint32_t Xxh32(const void* data, size_t len, uint32_t seed);

}  // namespace sparkmedic::decode

#endif  // SPARKMEDIC_CORE_DECODE_XXHASH32_H_
