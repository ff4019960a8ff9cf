// Compression codecs of Spark event logs: detection and stream decoders.
//
// Spark writes its own Java-library stream formats, not the command-line tools' formats
// (docs/event-log-format.md, "Codecs"):
//   lz4    lz4-java LZ4BlockOutputStream ("LZ4Block" blocks with masked XXH32 checks)
//   snappy xerial snappy-java SnappyOutputStream (\x82SNAPPY\0 header, BE length + block)
//   lzf    ning compress-lzf chunks ("ZV", stored or compressed, <= 64 KiB)
//   zstd   standard zstd frames, many concatenated (one per flush)
//   gzip   Databricks-style archived parts (.gz), possibly multi-member
#ifndef SPARKMEDIC_CODEC_H_
#define SPARKMEDIC_CODEC_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sparkmedic/input_stream.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

enum class Codec { kNone, kLz4, kSnappy, kLzf, kZstd, kGzip };

// "none", "lz4", "snappy", "lzf", "zstd", "gzip".
std::string_view CodecName(Codec codec);

// The codec named by a file name's extension, Spark's way: strip ".compact", then
// ".inprogress", then take the last dot-extension ("zst" and "gz" accepted too).
// A name with no known extension is kNone.
Codec CodecFromFileName(std::string_view file_name);

// The codec whose magic bytes start `head` (any prefix of the file, possibly empty), or
// nullopt if the bytes match no codec and do not look like JSON text either.
// Plain text is recognised by a first non-blank byte of '{'.
std::optional<Codec> SniffCodec(std::string_view head);

// Wraps `raw` in the decoder for `codec` (kNone returns `raw` itself).
std::unique_ptr<InputStream> MakeDecoder(Codec codec, std::unique_ptr<InputStream> raw);

// Opens an event-log file: codec from the extension, confirmed by the magic bytes.
// Errors: kNotFound/kIOError from opening; kCorruption when the extension and the magic
// bytes disagree (the message names both and what to do). An empty file opens as an empty
// stream. `codec_out`, when given, receives the codec used.
Result<std::unique_ptr<InputStream>> OpenEventLogFile(const std::string& path,
                                                      Codec* codec_out = nullptr);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CODEC_H_
