// Compression codecs of Spark event logs: detection and stream decoders.
//
// Spark writes its own Java-library stream formats, not the command-line tools' formats
// (docs/codecs.md has the byte layouts as implemented here):
//   lz4    lz4-java LZ4BlockOutputStream ("LZ4Block" blocks with masked XXH32 checks)
//   snappy xerial snappy-java SnappyOutputStream (\x82SNAPPY\0 header, BE length + block)
//   lzf    ning compress-lzf chunks ("ZV", stored or compressed, <= 64 KiB)
//   zstd   standard zstd frames, many concatenated (one per flush)
//   gzip   Databricks-style archived parts (.gz), possibly multi-member
//
// Every decoder follows InputStream::Read's contract. In particular, when the input ends inside
// a block, frame, chunk or member, Read first returns every byte that decoded completely and
// then kTruncated whose offset() is the file offset where the incomplete unit starts; corrupt
// input gives kCorruption with the file offset of the bad unit; errors are sticky. How each
// codec ends for a log that is still being written:
//   lz4    Spark never flushes a partial block (syncFlush=false), so an in-progress file
//          usually ends after a whole block without an end mark: Read returns 0 (clean end),
//          exactly as for a finished file. Whether the log is complete comes from the file
//          name (".inprogress") or the appstatus marker, not from the decoder.
//   snappy, lzf, zstd (3.x+)  every flush ends a block/chunk/frame: clean 0 at the last flush;
//          kTruncated only if the file was copied while the writer was mid-write.
//   zstd (2.4-era writers)    the frame stays open: a prefix, then kTruncated.
//   gzip   a prefix, then kTruncated.
// Thread-safety: the functions are thread-safe; each returned stream is for one reader.
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
// ".inprogress", then take the last dot-extension, case-insensitively: "lz4", "lzf", "snappy",
// "zstd" or "zst", "gz" or "gzip". A name with no known extension is kNone. `file_name` may be a
// path; only its last component is looked at.
Codec CodecFromFileName(std::string_view file_name);

// The codec whose magic bytes start `head` (any prefix of the file, possibly empty), or
// nullopt if the bytes match no codec and do not look like JSON text either (an empty or
// all-blank head is nullopt). A head shorter than a magic matches when it is a prefix of it.
// Plain text is recognised by a first non-blank byte of '{' (after an optional UTF-8 BOM) and
// reported as kNone. Magics: lz4 "LZ4Block"; snappy 82 53 4E 41 50 50 59 00; lzf "ZV" + 00|01;
// zstd 28 B5 2F FD; gzip 1F 8B 08.
std::optional<Codec> SniffCodec(std::string_view head);

// Wraps `raw` (taking ownership) in the decoder for `codec`; kNone returns `raw` itself. Offsets
// in the decoder's errors are offsets in `raw`. Every decoder reads an empty input as an empty
// stream. The returned stream's raw_bytes_consumed() is `raw`'s.
std::unique_ptr<InputStream> MakeDecoder(Codec codec, std::unique_ptr<InputStream> raw);

// Opens an event-log file: codec from the extension, confirmed by the magic bytes.
//  - extension names a codec: the bytes must start with its magic (or be a prefix of it, which
//    then reads as kTruncated); otherwise kCorruption at offset 0 whose message names the file,
//    both codecs and what to do (rename the file; or the History Server compacted it with
//    another codec).
//  - no codec extension: if the bytes start with a full codec magic the file is decoded by
//    magic (a History Server compaction can compress a file whose name says nothing); anything
//    else opens as kNone, including text that is not JSON (a driver log): the JSON layer
//    reports that.
//  - an empty file opens as an empty stream with the extension's codec.
// Errors: kNotFound/kIOError from opening or reading the first bytes; kCorruption as above.
// Errors later returned by the stream carry `path`. `codec_out`, when given, receives the codec
// used (only on success).
Result<std::unique_ptr<InputStream>> OpenEventLogFile(const std::string& path,
                                                      Codec* codec_out = nullptr);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CODEC_H_
