// ReadListingFacts: the head of a log up to ApplicationStart, and ApplicationEnd from its end.
//
// PERF NOTES: listing used to load every log completely (parse every line, build the model)
// only to keep eight values. Now a finished uncompressed log costs its first events and its
// last MiB, whatever its size; a compressed one costs one decode of its last file plus a
// substring search per line (memmem over the decoded text), but no JSON parsing except for the
// few lines that name the events wanted. Lines are parsed with the loader's own parser
// (EventLineParser), so that every value (numbers, missing fields, malformed lines) is read
// exactly as a full load reads it.
#include "frontends/server/listing.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>
#include <variant>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sparkmedic/codec.h"
#include "sparkmedic/event_line_parser.h"
#include "sparkmedic/events.h"
#include "sparkmedic/input_stream.h"

namespace sparkmedic::server {
namespace {

constexpr std::string_view kLogStartName = "SparkListenerLogStart";
constexpr std::string_view kAppStartName = "SparkListenerApplicationStart";
constexpr std::string_view kAppEndName = "SparkListenerApplicationEnd";
constexpr size_t kFirstReadBytes = size_t{64} << 10;
constexpr size_t kReadBytes = size_t{1} << 20;

bool Contains(std::string_view line, std::string_view needle) {
  return ::memmem(line.data(), line.size(), needle.data(), needle.size()) != nullptr;
}

// Lines of a decoded stream, as the loader's ChunkReader cuts them: split at '\n', a trailing
// '\r' dropped; at the end (or at a stream error) the unterminated rest is one more line.
class LineReader {
 public:
  explicit LineReader(InputStream* in) : in_(in) {}

  // The next line (valid until the next call), or false when the stream is exhausted;
  // status() then says whether it ended cleanly.
  bool Next(std::string_view* line) {
    for (;;) {
      if (const void* nl = std::memchr(buf_.data() + scan_, '\n', end_ - scan_)) {
        size_t at = static_cast<const char*>(nl) - buf_.data();
        *line = Cut(at);
        begin_ = scan_ = at + 1;
        return true;
      }
      scan_ = end_;
      if (eof_) {
        if (begin_ == end_) return false;
        *line = Cut(end_);
        begin_ = scan_ = end_;
        return true;
      }
      Fill();
    }
  }

  const Status& status() const { return status_; }
  uint64_t decoded_bytes() const { return decoded_; }

 private:
  std::string_view Cut(size_t at) const {
    size_t len = at - begin_;
    if (len > 0 && buf_[begin_ + len - 1] == '\r') --len;
    return std::string_view(buf_.data() + begin_, len);
  }

  void Fill() {
    if (begin_ > 0) {  // keep only the partial line
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ -= begin_;
      begin_ = 0;
    }
    // Reads start small (the head is usually a few KiB) and double up to kReadBytes.
    if (buf_.size() - end_ < want_) buf_.resize(end_ + want_);
    want_ = std::min(want_ * 2, kReadBytes);
    Result<size_t> got = in_->Read(buf_.data() + end_, buf_.size() - end_);
    if (!got.ok()) {
      status_ = got.status();
      eof_ = true;
    } else if (*got == 0) {
      eof_ = true;
    } else {
      end_ += *got;
      decoded_ += *got;
    }
  }

  InputStream* in_;
  std::string buf_;
  size_t begin_ = 0, scan_ = 0, end_ = 0;
  size_t want_ = kFirstReadBytes;
  bool eof_ = false;
  Status status_;
  uint64_t decoded_ = 0;
};

// The loader's test for "not an event log": the first line of the first file with anything
// but blanks must start (after spaces and tabs) with '{'.
bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}
bool StartsWithBrace(std::string_view line) {
  size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '{';
}

std::string Preview(std::string_view line) {
  std::string s(line.substr(0, 80));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

// A stream error that stops a load: the loader gives up on kIOError and reads on after
// truncated or corrupt streams (reporting them).
bool StopsLoad(const Status& s) { return s.code() == StatusCode::kIOError; }

void ApplyAppEnd(const AppEndEvent& ev, ListingFacts* facts) {
  facts->completed = true;
  facts->end_time = ev.time;
}

// ApplicationEnd in the last `kEndEventTailBytes` of an uncompressed file.
Status ScanUncompressedTail(const std::string& path, EventLineParser* parser, ListingFacts* facts) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string msg = fmt::format("cannot open: {}", std::strerror(err));
    return (err == ENOENT ? Status::NotFound(msg) : Status::IOError(msg)).WithPath(path);
  }
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return Status::IOError(fmt::format("cannot stat: {}", std::strerror(errno))).WithPath(path);
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  // Start one byte early: if that byte is '\n' the tail starts on a whole line.
  uint64_t start = size > kEndEventTailBytes ? size - kEndEventTailBytes - 1 : 0;
  std::string tail(size - start, '\0');
  size_t have = 0;
  while (have < tail.size()) {
    ssize_t got =
        ::pread(fd, tail.data() + have, tail.size() - have, static_cast<off_t>(start + have));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return Status::IOError(fmt::format("cannot read: {}", std::strerror(errno)))
          .WithPath(path)
          .WithOffset(start + have);
    }
    if (got == 0) break;  // the file shrank since fstat
    have += static_cast<size_t>(got);
  }
  tail.resize(have);
  facts->raw_bytes_read += have;
  facts->decoded_bytes_scanned += have;
  std::string_view text(tail);
  if (start > 0) {  // drop the partial first line (or the '\n' before a whole one)
    size_t nl = text.find('\n');
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  std::unique_ptr<InputStream> mem = MakeMemoryStream(text);
  LineReader lines(mem.get());
  std::string_view line;
  while (lines.Next(&line)) {
    if (!Contains(line, kAppEndName)) continue;
    if (EventPayload* ev = parser->Parse(line)) {
      if (auto* end = std::get_if<AppEndEvent>(ev)) ApplyAppEnd(*end, facts);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ListingFacts> ReadListingFacts(const LogSource& source) {
  ListingFacts facts;
  facts.app_id = source.app_id;
  facts.attempt_id = source.attempt_id;
  EventLineParser parser;

  // The last file that holds bytes: where ApplicationEnd is looked for.
  size_t last = source.files.size();
  for (size_t f = source.files.size(); f-- > 0;) {
    if (source.files[f].size > 0) {
      last = f;
      break;
    }
  }
  const bool want_end = !source.in_progress && last < source.files.size();

  bool head_done = false;
  for (size_t f = 0; f < source.files.size(); ++f) {
    const LogFile& file = source.files[f];
    Codec codec = file.codec;
    auto opened = OpenEventLogFile(file.path, &codec);
    if (!opened.ok()) return opened.status();
    InputStream& in = **opened;
    // The last file is decoded to its end when compressed or no bigger than the tail (one
    // pass instead of head + tail); otherwise its tail is read after the head.
    const bool end_here = want_end && f == last;
    const bool scan_to_end = end_here && (codec != Codec::kNone || file.size <= kEndEventTailBytes);
    const bool read_tail = end_here && !scan_to_end;
    if (head_done && !scan_to_end) {
      facts.raw_bytes_read += in.raw_bytes_consumed();
      if (read_tail) SPARKMEDIC_RETURN_IF_ERROR(ScanUncompressedTail(file.path, &parser, &facts));
      continue;
    }
    LineReader lines(&in);
    std::string_view line;
    bool first_line = f == 0;
    while (lines.Next(&line)) {
      if (first_line && !IsBlank(line)) {
        first_line = false;
        if (!StartsWithBrace(line)) {
          return Status::Corruption(fmt::format("not a Spark event log: the first line is "
                                                "\"{}\", not a JSON event",
                                                Preview(line)))
              .WithPath(file.path);
        }
      }
      if (!head_done && (Contains(line, kLogStartName) || Contains(line, kAppStartName))) {
        if (EventPayload* ev = parser.Parse(line)) {
          if (auto* ls = std::get_if<LogStartEvent>(ev)) {
            facts.spark_version = std::move(ls->spark_version);
          } else if (auto* as = std::get_if<AppStartEvent>(ev)) {
            facts.has_application_start = true;
            facts.app_name = std::move(as->name);
            if (as->app_id) facts.app_id = std::move(*as->app_id);
            if (as->attempt_id) facts.attempt_id = std::move(*as->attempt_id);
            facts.start_time = as->time;
            facts.spark_user = std::move(as->user);
            head_done = true;
            if (!scan_to_end) break;
            continue;
          }
        }
      }
      if (scan_to_end && Contains(line, kAppEndName)) {
        if (EventPayload* ev = parser.Parse(line)) {
          if (auto* end = std::get_if<AppEndEvent>(ev)) ApplyAppEnd(*end, &facts);
        }
      }
    }
    facts.raw_bytes_read += in.raw_bytes_consumed();
    facts.decoded_bytes_scanned += lines.decoded_bytes();
    if (StopsLoad(lines.status())) return lines.status();
    if (read_tail) SPARKMEDIC_RETURN_IF_ERROR(ScanUncompressedTail(file.path, &parser, &facts));
  }
  if (source.in_progress) {
    facts.completed = false;
    facts.end_time = kNoTime;
  } else if (!facts.completed) {
    facts.end_time = kNoTime;
  }
  return facts;
}

}  // namespace sparkmedic::server
