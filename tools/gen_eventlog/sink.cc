// Output sinks. See sink.h.
//
// PERF NOTES: lines are copied into a 1 MiB staging buffer; only full buffers (or flush
// points) reach the compressor, and compressed output is written with write(2) in 4 MiB
// chunks. zstd runs at level 1 like Spark's default; gzip uses level 1 as well.
#include "sink.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

namespace sparkmedic::gen {
namespace {

namespace fs = std::filesystem;

// A file descriptor with a large write buffer.
class FdWriter {
 public:
  FdWriter(int fd, std::string path, bool owned) : fd_(fd), path_(std::move(path)), owned_(owned) {
    buf_.reserve(kCapacity);
  }
  ~FdWriter() {
    (void)Flush();
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  Status Write(const void* data, size_t n) {
    const char* p = static_cast<const char*>(data);
    if (buf_.size() + n > kCapacity) SPARKMEDIC_RETURN_IF_ERROR(Flush());
    if (n >= kCapacity) return WriteAll(p, n);
    buf_.append(p, n);
    return Status::Ok();
  }
  Status Flush() {
    Status st = WriteAll(buf_.data(), buf_.size());
    buf_.clear();
    return st;
  }
  Status Close() {
    SPARKMEDIC_RETURN_IF_ERROR(Flush());
    if (owned_ && fd_ >= 0 && ::close(fd_) != 0) {
      fd_ = -1;
      return Status::IOError(fmt::format("close: {}", std::strerror(errno))).WithPath(path_);
    }
    fd_ = -1;
    return Status::Ok();
  }

 private:
  static constexpr size_t kCapacity = 4 << 20;
  Status WriteAll(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno == EPIPE) return Status::IOError("broken pipe");
        return Status::IOError(fmt::format("write: {}", std::strerror(errno))).WithPath(path_);
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::Ok();
  }
  int fd_;
  std::string path_;
  bool owned_;
  std::string buf_;
};

// A byte stream through an optional codec into an FdWriter.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual Status Write(std::string_view bytes) = 0;
  // Makes everything written so far decodable (zstd: ends the frame).
  virtual Status FlushPoint() = 0;
  // Terminates the stream and closes the file.
  virtual Status Close() = 0;
  // In-progress: makes written bytes decodable without terminating the stream, then closes
  // the descriptor.
  virtual Status Abandon() = 0;
};

class PlainStream : public Stream {
 public:
  explicit PlainStream(std::unique_ptr<FdWriter> out) : out_(std::move(out)) {}
  Status Write(std::string_view b) override { return out_->Write(b.data(), b.size()); }
  Status FlushPoint() override { return Status::Ok(); }
  Status Close() override { return out_->Close(); }
  Status Abandon() override { return out_->Close(); }

 private:
  std::unique_ptr<FdWriter> out_;
};

class ZstdStream : public Stream {
 public:
  explicit ZstdStream(std::unique_ptr<FdWriter> out) : out_(std::move(out)) {
    cctx_ = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 1);
    out_buf_.resize(ZSTD_CStreamOutSize());
    in_.reserve(kStage);
  }
  ~ZstdStream() override { ZSTD_freeCCtx(cctx_); }
  Status Write(std::string_view b) override {
    if (in_.size() + b.size() > kStage) SPARKMEDIC_RETURN_IF_ERROR(Drain(ZSTD_e_continue));
    in_.append(b.data(), b.size());
    return Status::Ok();
  }
  Status FlushPoint() override { return Drain(ZSTD_e_end); }
  Status Close() override {
    SPARKMEDIC_RETURN_IF_ERROR(Drain(ZSTD_e_end));
    return out_->Close();
  }
  Status Abandon() override {
    // A block flush without an epilogue: the trailing frame stays open, as in a log whose
    // writer is still running.
    SPARKMEDIC_RETURN_IF_ERROR(Drain(ZSTD_e_flush));
    return out_->Close();
  }

 private:
  static constexpr size_t kStage = 1 << 20;
  Status Drain(ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{in_.data(), in_.size(), 0};
    for (;;) {
      ZSTD_outBuffer out{out_buf_.data(), out_buf_.size(), 0};
      size_t rem = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(rem)) {
        return Status::IOError(fmt::format("zstd: {}", ZSTD_getErrorName(rem)));
      }
      SPARKMEDIC_RETURN_IF_ERROR(out_->Write(out_buf_.data(), out.pos));
      bool done = mode == ZSTD_e_continue ? in.pos == in.size : rem == 0;
      if (done) break;
    }
    in_.clear();
    return Status::Ok();
  }
  std::unique_ptr<FdWriter> out_;
  ZSTD_CCtx* cctx_;
  std::string in_;
  std::string out_buf_;
};

class GzipStream : public Stream {
 public:
  explicit GzipStream(std::unique_ptr<FdWriter> out) : out_(std::move(out)) {
    std::memset(&z_, 0, sizeof(z_));
    deflateInit2(&z_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    out_buf_.resize(1 << 18);
    in_.reserve(kStage);
  }
  ~GzipStream() override { deflateEnd(&z_); }
  Status Write(std::string_view b) override {
    if (in_.size() + b.size() > kStage) SPARKMEDIC_RETURN_IF_ERROR(Drain(Z_NO_FLUSH));
    in_.append(b.data(), b.size());
    return Status::Ok();
  }
  Status FlushPoint() override { return Drain(Z_SYNC_FLUSH); }
  Status Close() override {
    SPARKMEDIC_RETURN_IF_ERROR(Drain(Z_FINISH));
    return out_->Close();
  }
  Status Abandon() override {
    SPARKMEDIC_RETURN_IF_ERROR(Drain(Z_SYNC_FLUSH));
    return out_->Close();
  }

 private:
  static constexpr size_t kStage = 1 << 20;
  Status Drain(int mode) {
    z_.next_in = reinterpret_cast<Bytef*>(in_.data());
    z_.avail_in = static_cast<uInt>(in_.size());
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(out_buf_.data());
      z_.avail_out = static_cast<uInt>(out_buf_.size());
      int rc = deflate(&z_, mode);
      if (rc == Z_STREAM_ERROR) return Status::IOError("zlib: deflate failed");
      size_t produced = out_buf_.size() - z_.avail_out;
      SPARKMEDIC_RETURN_IF_ERROR(out_->Write(out_buf_.data(), produced));
      if (mode == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) break;
    }
    in_.clear();
    return Status::Ok();
  }
  std::unique_ptr<FdWriter> out_;
  z_stream z_;
  std::string in_;
  std::string out_buf_;
};

Status OpenFile(const std::string& path, std::unique_ptr<FdWriter>* out) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
  if (fd < 0) return Status::IOError(fmt::format("open: {}", std::strerror(errno))).WithPath(path);
  *out = std::make_unique<FdWriter>(fd, path, true);
  return Status::Ok();
}

std::unique_ptr<Stream> WrapCodec(Codec codec, std::unique_ptr<FdWriter> w) {
  switch (codec) {
    case Codec::kZstd:
      return std::make_unique<ZstdStream>(std::move(w));
    case Codec::kGzip:
      return std::make_unique<GzipStream>(std::move(w));
    case Codec::kNone:
      break;
  }
  return std::make_unique<PlainStream>(std::move(w));
}

// Flush policy shared by the file sinks: Spark's (frame per flushing event) or every N lines.
class FlushPolicy {
 public:
  explicit FlushPolicy(int64_t every) : every_(every) {}
  bool ShouldFlush(bool spark_flush) {
    if (every_ == 0) return spark_flush;
    if (++since_ < every_) return false;
    since_ = 0;
    return true;
  }

 private:
  int64_t every_;
  int64_t since_ = 0;
};

class MemorySink : public LineSink {
 public:
  explicit MemorySink(std::string* out) : out_(out) {}
  Status WriteLine(std::string_view line, bool) override {
    out_->append(line.data(), line.size());
    out_->push_back('\n');
    ++lines_;
    bytes_ += line.size() + 1;
    return Status::Ok();
  }
  Status WritePartial(std::string_view b) override {
    out_->append(b.data(), b.size());
    bytes_ += b.size();
    return Status::Ok();
  }
  Status Finish(bool) override { return Status::Ok(); }

 private:
  std::string* out_;
};

// One stream: stdout or a single file (renamed from .inprogress when complete).
class SingleSink : public LineSink {
 public:
  SingleSink(std::unique_ptr<Stream> s, std::string writing, std::string final_name,
             int64_t flush_every)
      : stream_(std::move(s)),
        writing_(std::move(writing)),
        final_(std::move(final_name)),
        policy_(flush_every) {}
  Status WriteLine(std::string_view line, bool spark_flush) override {
    SPARKMEDIC_RETURN_IF_ERROR(stream_->Write(line));
    SPARKMEDIC_RETURN_IF_ERROR(stream_->Write("\n"));
    ++lines_;
    bytes_ += line.size() + 1;
    if (policy_.ShouldFlush(spark_flush)) return stream_->FlushPoint();
    return Status::Ok();
  }
  Status WritePartial(std::string_view b) override {
    // Everything counted so far becomes readable; the cut line goes into a frame that is
    // never ended, as in a log whose writer is still running.
    SPARKMEDIC_RETURN_IF_ERROR(stream_->FlushPoint());
    partial_ = true;
    bytes_ += b.size();
    return stream_->Write(b);
  }
  Status Finish(bool complete) override {
    if (!complete) {
      if (!partial_) SPARKMEDIC_RETURN_IF_ERROR(stream_->FlushPoint());
      return stream_->Abandon();
    }
    SPARKMEDIC_RETURN_IF_ERROR(stream_->Close());
    if (!writing_.empty() && writing_ != final_) {
      std::error_code ec;
      fs::rename(writing_, final_, ec);
      if (ec) return Status::IOError("rename: " + ec.message()).WithPath(writing_);
    }
    return Status::Ok();
  }
  std::vector<std::string> Files() const override {
    if (final_.empty()) return {};
    return {final_};
  }
  void set_in_progress_name() { final_ = writing_; }

 private:
  std::unique_ptr<Stream> stream_;
  std::string writing_;
  std::string final_;
  FlushPolicy policy_;
  bool partial_ = false;
};

// RollingEventLogFilesWriter: a new events_<n> file whenever the current one would exceed
// max_bytes (uncompressed). An empty file is never rolled, so one oversize line still fits.
class RollingSink : public LineSink {
 public:
  RollingSink(std::string dir, std::string app, Codec codec, int64_t max_bytes, int64_t flush_every)
      : dir_(std::move(dir)),
        app_(std::move(app)),
        codec_(codec),
        max_(max_bytes),
        policy_(flush_every) {}

  Status Init() {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return Status::IOError("mkdir: " + ec.message()).WithPath(dir_);
    std::unique_ptr<FdWriter> marker;
    SPARKMEDIC_RETURN_IF_ERROR(OpenFile(MarkerPath(true), &marker));
    SPARKMEDIC_RETURN_IF_ERROR(marker->Close());
    return OpenNext();
  }
  Status WriteLine(std::string_view line, bool spark_flush) override {
    if (cur_bytes_ > 0 && cur_bytes_ + static_cast<int64_t>(line.size()) > max_) {
      SPARKMEDIC_RETURN_IF_ERROR(stream_->Close());
      SPARKMEDIC_RETURN_IF_ERROR(OpenNext());
    }
    SPARKMEDIC_RETURN_IF_ERROR(stream_->Write(line));
    SPARKMEDIC_RETURN_IF_ERROR(stream_->Write("\n"));
    cur_bytes_ += static_cast<int64_t>(line.size()) + 1;
    ++lines_;
    bytes_ += line.size() + 1;
    if (policy_.ShouldFlush(spark_flush)) return stream_->FlushPoint();
    return Status::Ok();
  }
  Status WritePartial(std::string_view b) override {
    SPARKMEDIC_RETURN_IF_ERROR(stream_->FlushPoint());
    partial_ = true;
    bytes_ += b.size();
    return stream_->Write(b);
  }
  Status Finish(bool complete) override {
    if (!complete) {
      if (!partial_) SPARKMEDIC_RETURN_IF_ERROR(stream_->FlushPoint());
      return stream_->Abandon();
    }
    SPARKMEDIC_RETURN_IF_ERROR(stream_->Close());
    std::error_code ec;
    fs::rename(MarkerPath(true), MarkerPath(false), ec);
    if (ec) return Status::IOError("rename: " + ec.message()).WithPath(MarkerPath(true));
    marker_done_ = true;
    return Status::Ok();
  }
  std::vector<std::string> Files() const override {
    std::vector<std::string> out = files_;
    out.push_back(marker_done_ ? MarkerPath(false) : MarkerPath(true));
    return out;
  }

 private:
  std::string MarkerPath(bool in_progress) const {
    return dir_ + "/appstatus_" + app_ + (in_progress ? ".inprogress" : "");
  }
  Status OpenNext() {
    ++index_;
    std::string path = fmt::format("{}/events_{}_{}{}", dir_, index_, app_, CodecExtension(codec_));
    std::unique_ptr<FdWriter> w;
    SPARKMEDIC_RETURN_IF_ERROR(OpenFile(path, &w));
    stream_ = WrapCodec(codec_, std::move(w));
    files_.push_back(path);
    cur_bytes_ = 0;
    return Status::Ok();
  }
  std::string dir_;
  std::string app_;
  Codec codec_;
  int64_t max_;
  FlushPolicy policy_;
  int index_ = 0;
  int64_t cur_bytes_ = 0;
  std::unique_ptr<Stream> stream_;
  std::vector<std::string> files_;
  bool marker_done_ = false;
  bool partial_ = false;
};

// Spark's file-name sanitising (EventLogFileWriter.nameForAppAndAttempt).
std::string Sanitize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == ':' || c == '/') {
      out.push_back('-');
    } else if (c == '.' || c == '$' || c == '{' || c == '}' || c == '\'' || c == '"') {
      out.push_back('_');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

}  // namespace

std::string CodecExtension(Codec codec) {
  switch (codec) {
    case Codec::kZstd:
      return ".zstd";
    case Codec::kGzip:
      return ".gz";
    case Codec::kNone:
      break;
  }
  return "";
}

std::unique_ptr<LineSink> NewMemorySink(std::string* out) {
  return std::make_unique<MemorySink>(out);
}

Status NewSinkFromOptions(const Options& opts, std::string_view app_id,
                          std::unique_ptr<LineSink>* out) {
  const std::string app = Sanitize(app_id);
  if (opts.rolling_max_bytes > 0) {
    if (opts.output == "-")
      return Status::InvalidArgument("--rolling-max-bytes needs --output DIR");
    auto sink = std::make_unique<RollingSink>(opts.output + "/eventlog_v2_" + app, app, opts.codec,
                                              opts.rolling_max_bytes, opts.flush_every);
    SPARKMEDIC_RETURN_IF_ERROR(sink->Init());
    *out = std::move(sink);
    return Status::Ok();
  }
  if (opts.output == "-") {
    auto w = std::make_unique<FdWriter>(1, "<stdout>", false);
    *out =
        std::make_unique<SingleSink>(WrapCodec(opts.codec, std::move(w)), "", "", opts.flush_every);
    return Status::Ok();
  }
  std::error_code ec;
  std::string final_name = opts.output;
  if (fs::is_directory(opts.output, ec)) {
    final_name = opts.output + "/" + app + CodecExtension(opts.codec);
  }
  std::string writing = final_name + ".inprogress";
  if (!opts.in_progress && !fs::is_directory(opts.output, ec)) writing = final_name;
  std::unique_ptr<FdWriter> w;
  SPARKMEDIC_RETURN_IF_ERROR(OpenFile(writing, &w));
  auto sink = std::make_unique<SingleSink>(WrapCodec(opts.codec, std::move(w)), writing, final_name,
                                           opts.flush_every);
  if (opts.in_progress) sink->set_in_progress_name();
  *out = std::move(sink);
  return Status::Ok();
}

}  // namespace sparkmedic::gen
