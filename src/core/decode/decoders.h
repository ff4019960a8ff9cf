// Factories of the stream decoders, one per codec. codec.h's MakeDecoder() dispatches to these.
// Each returns an InputStream that wraps `raw` (taking ownership) and follows the error and
// truncation contract of InputStream::Read; docs/codecs.md describes each format as implemented.
#ifndef SPARKMEDIC_CORE_DECODE_DECODERS_H_
#define SPARKMEDIC_CORE_DECODE_DECODERS_H_

#include <memory>

#include "sparkmedic/input_stream.h"

namespace sparkmedic::decode {

// lz4-java LZ4BlockOutputStream blocks ("LZ4Block" magic). Decodes concatenated streams; an
// input that ends exactly after a block without an end mark (an in-progress Spark log) ends
// cleanly.
std::unique_ptr<InputStream> NewLz4BlockStream(std::unique_ptr<InputStream> raw);

// xerial snappy-java SnappyOutputStream (16-byte header, then BE length + raw snappy block).
std::unique_ptr<InputStream> NewSnappyStream(std::unique_ptr<InputStream> raw);

// ning compress-lzf chunks ("ZV" + type 0 stored / type 1 compressed).
std::unique_ptr<InputStream> NewLzfStream(std::unique_ptr<InputStream> raw);

// Concatenated zstd frames.
std::unique_ptr<InputStream> NewZstdStream(std::unique_ptr<InputStream> raw);

// gzip (RFC 1952), any number of members.
std::unique_ptr<InputStream> NewGzipStream(std::unique_ptr<InputStream> raw);

}  // namespace sparkmedic::decode

#endif  // SPARKMEDIC_CORE_DECODE_DECODERS_H_
