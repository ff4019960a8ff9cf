// libFuzzer target: the lz4 stream decoder on arbitrary bytes (fuzz/README.md).
#include "fuzz_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return sparkmedic::fuzz::FuzzDecoder(sparkmedic::Codec::kLz4, data, size);
}
