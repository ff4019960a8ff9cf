// Codec names, detection by file name and by magic bytes, and OpenEventLogFile.
//
// Why the extension decides and the magic confirms: Spark itself picks the codec from the name
// (EventLogFileReader.codecName), so a name that says lz4 over bytes that are not lz4 is a
// problem worth reporting, not silently working around. The one exception is a file whose name
// names no codec: Spark's History Server compactor writes "<name>.compact" with its own
// compression settings, so a log written uncompressed can come back compressed under a plain
// name; decoding such a file by its magic costs nothing and is what the user wants.
#include "sparkmedic/codec.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "core/decode/block_decoder.h"
#include "core/decode/decoders.h"

namespace sparkmedic {
namespace {

struct Magic {
  Codec codec;
  std::string_view bytes;
};

constexpr Magic kMagics[] = {
    {Codec::kLz4, std::string_view("LZ4Block", 8)},
    {Codec::kSnappy, std::string_view("\x82SNAPPY\0", 8)},
    {Codec::kZstd, std::string_view("\x28\xB5\x2F\xFD", 4)},
    {Codec::kGzip, std::string_view("\x1F\x8B\x08", 3)},
};
constexpr size_t kHeadSize = 16;  // enough for every magic and a little context in messages

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// lzf's magic is only two letters, so the type byte (00 stored, 01 compressed) is checked too.
bool IsLzfHead(std::string_view head) {
  return decode::MagicPrefixMatches(head, "ZV") &&
         (head.size() < 3 || head[2] == '\0' || head[2] == '\1');
}

// The codec whose complete magic starts `head`, if any.
std::optional<Codec> FullMagic(std::string_view head) {
  for (const Magic& m : kMagics) {
    if (head.size() >= m.bytes.size() && head.substr(0, m.bytes.size()) == m.bytes) return m.codec;
  }
  if (head.size() >= 3 && IsLzfHead(head)) return Codec::kLzf;
  return std::nullopt;
}

// "plain JSON text", "zstd data", "no known format (first bytes 3C 21 ...)" for messages.
std::string DescribeBytes(std::string_view head) {
  std::optional<Codec> sniffed = SniffCodec(head);
  if (sniffed == Codec::kNone) return "plain (uncompressed) JSON text";
  if (sniffed) return fmt::format("{} data", CodecName(*sniffed));
  return fmt::format("in no known format (first bytes {})", decode::HexBytes(head));
}

Status MismatchError(const std::string& path, Codec by_name, std::string_view head) {
  const std::string_view base = std::string_view(path).substr(path.find_last_of('/') + 1);
  std::optional<Codec> sniffed = SniffCodec(head);
  std::string advice;
  if (sniffed == Codec::kNone) {
    advice = fmt::format("rename the file without the .{} extension", CodecName(by_name));
  } else if (sniffed) {
    advice = fmt::format(
        "rename the file to end in .{} (if it is a .compact file, the History "
        "Server may have compacted it with another codec)",
        CodecName(*sniffed));
  } else {
    advice = "the file may be damaged or not an event log";
  }
  return Status::Corruption(fmt::format("{}: the file name says {} but the bytes are {}; {}", base,
                                        CodecName(by_name), DescribeBytes(head), advice))
      .WithPath(path)
      .WithOffset(0);
}

// Returns the bytes already read for sniffing, then the rest of the file.
class PrefixStream final : public InputStream {
 public:
  PrefixStream(std::string_view head, std::unique_ptr<InputStream> rest)
      : size_(head.size()), rest_(std::move(rest)) {
    std::memcpy(head_.data(), head.data(), size_);
  }
  Result<size_t> Read(char* dst, size_t n) override {
    if (pos_ == size_) return rest_->Read(dst, n);
    const size_t k = std::min(n, size_ - pos_);
    std::memcpy(dst, head_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  uint64_t raw_bytes_consumed() const override { return rest_->raw_bytes_consumed(); }

 private:
  std::array<char, kHeadSize> head_;
  size_t size_;
  size_t pos_ = 0;
  std::unique_ptr<InputStream> rest_;
};

// Adds the file's path to the decoder's errors, which know offsets but not names.
class PathStream final : public InputStream {
 public:
  PathStream(std::unique_ptr<InputStream> inner, std::string path)
      : inner_(std::move(inner)), path_(std::move(path)) {}
  Result<size_t> Read(char* dst, size_t n) override {
    Result<size_t> got = inner_->Read(dst, n);
    if (got.ok() || !got.status().path().empty()) return got;
    return got.status().WithPath(path_);
  }
  uint64_t raw_bytes_consumed() const override { return inner_->raw_bytes_consumed(); }

 private:
  std::unique_ptr<InputStream> inner_;
  std::string path_;
};

// Reads up to kHeadSize bytes (fewer only at the end of the file).
Result<size_t> ReadHead(InputStream& in, char* head) {
  size_t len = 0;
  while (len < kHeadSize) {
    Result<size_t> got = in.Read(head + len, kHeadSize - len);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    len += *got;
  }
  return len;
}

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone:
      return "none";
    case Codec::kLz4:
      return "lz4";
    case Codec::kSnappy:
      return "snappy";
    case Codec::kLzf:
      return "lzf";
    case Codec::kZstd:
      return "zstd";
    case Codec::kGzip:
      return "gzip";
  }
  return "unknown";
}

Codec CodecFromFileName(std::string_view file_name) {
  std::string_view name = file_name.substr(file_name.find_last_of('/') + 1);
  if (EndsWith(name, ".compact")) name.remove_suffix(std::strlen(".compact"));
  if (EndsWith(name, ".inprogress")) name.remove_suffix(std::strlen(".inprogress"));
  const size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return Codec::kNone;
  const std::string ext = Lower(name.substr(dot + 1));
  if (ext == "lz4") return Codec::kLz4;
  if (ext == "lzf") return Codec::kLzf;
  if (ext == "snappy") return Codec::kSnappy;
  if (ext == "zstd" || ext == "zst") return Codec::kZstd;
  if (ext == "gz" || ext == "gzip") return Codec::kGzip;
  return Codec::kNone;
}

std::optional<Codec> SniffCodec(std::string_view head) {
  if (head.empty()) return std::nullopt;
  for (const Magic& m : kMagics) {
    if (decode::MagicPrefixMatches(head, m.bytes)) return m.codec;
  }
  if (IsLzfHead(head)) return Codec::kLzf;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '{') return Codec::kNone;
  return std::nullopt;
}

std::unique_ptr<InputStream> MakeDecoder(Codec codec, std::unique_ptr<InputStream> raw) {
  switch (codec) {
    case Codec::kNone:
      return raw;
    case Codec::kLz4:
      return decode::NewLz4BlockStream(std::move(raw));
    case Codec::kSnappy:
      return decode::NewSnappyStream(std::move(raw));
    case Codec::kLzf:
      return decode::NewLzfStream(std::move(raw));
    case Codec::kZstd:
      return decode::NewZstdStream(std::move(raw));
    case Codec::kGzip:
      return decode::NewGzipStream(std::move(raw));
  }
  return raw;
}

Result<std::unique_ptr<InputStream>> OpenEventLogFile(const std::string& path, Codec* codec_out) {
  Result<std::unique_ptr<InputStream>> file = OpenFileStream(path);
  if (!file.ok()) return file.status();
  std::array<char, kHeadSize> buf;
  Result<size_t> len = ReadHead(**file, buf.data());
  if (!len.ok()) return len.status();
  const std::string_view head(buf.data(), *len);

  const Codec by_name = CodecFromFileName(path);
  Codec codec = by_name;
  if (head.empty()) {
    // An empty file: every decoder reads it as an empty stream.
  } else if (by_name == Codec::kNone) {
    codec = FullMagic(head).value_or(Codec::kNone);
  } else if (SniffCodec(head) != by_name) {
    return MismatchError(path, by_name, head);
  }
  std::unique_ptr<InputStream> stream =
      std::make_unique<PrefixStream>(head, std::move(file).value());
  if (codec != Codec::kNone) {
    stream = std::make_unique<PathStream>(MakeDecoder(codec, std::move(stream)), path);
  }
  if (codec_out) *codec_out = codec;
  return stream;
}

}  // namespace sparkmedic
