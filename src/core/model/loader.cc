// Loader: files → decoded streams → lines → typed events → the model.
#include "sparkmedic/loader.h"

#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "core/eventlog/line_reader.h"
#include "core/model/event_parser.h"
#include "core/model/model_builder.h"
#include "sparkmedic/codec.h"

namespace sparkmedic {

void ReadStats::Add(const ReadStats& o) {
  files += o.files;
  raw_bytes += o.raw_bytes;
  decompressed_bytes += o.decompressed_bytes;
  lines += o.lines;
  events += o.events;
  ignored_events += o.ignored_events;
  unknown_events += o.unknown_events;
  malformed_lines += o.malformed_lines;
  missing_field_events += o.missing_field_events;
  truncated_tail = truncated_tail || o.truncated_tail;
  seconds += o.seconds;
}

namespace {

// Forwards to the caller's sink and remembers the first error-kind diagnostic (for --strict).
class StrictSink final : public DiagnosticSink {
 public:
  explicit StrictSink(DiagnosticSink* inner) : inner_(inner) {}
  void Report(Diagnostic d) override {
    if (IsErrorKind(d.kind) && !first_error_) first_error_ = std::make_unique<Diagnostic>(d);
    if (inner_) inner_->Report(std::move(d));
  }
  const Diagnostic* first_error() const { return first_error_.get(); }

 private:
  DiagnosticSink* inner_;
  std::unique_ptr<Diagnostic> first_error_;
};

std::string Preview(const Line& line) {
  std::string s(line.data, std::min<size_t>(line.len, 80));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

// Reads one file of a log into the builder.
class FileLoader {
 public:
  FileLoader(const LogSource& source, const LoadOptions& options, StrictSink* sink,
             ModelBuilder* builder, EventParser* parser, ReadStats* stats)
      : source_(source), options_(options), sink_(sink), builder_(builder), parser_(parser),
        stats_(stats) {}

  // Returns non-OK only for errors that end the whole load.
  Status Load(const LogFile& file, bool first_file, bool last_file) {
    Codec codec = file.codec;
    Result<std::unique_ptr<InputStream>> opened = OpenEventLogFile(file.path, &codec);
    if (!opened.ok()) return opened.status();
    std::unique_ptr<InputStream> stream = std::move(opened.value());
    builder_->SetPath(file.path);
    LineReader reader(stream.get(), options_.max_line_bytes);
    Line line;
    bool seen_line = false;
    std::string error;
    Arena arena;
    while (reader.Next(&line)) {
      ++stats_->lines;
      if (!seen_line) {
        seen_line = true;
        if (first_file && line.data[0] != '{') {
          Diagnostic d{DiagnosticKind::kNotAnEventLog, file.path, line.number, line.offset,
                       fmt::format("does not look like a Spark event log (it starts with \"{}\")",
                                   Preview(line)),
                       {}};
          sink_->Report(d);
          return Status::Corruption(
                     fmt::format("not a Spark event log: the first line is \"{}\", not a JSON "
                                 "event; point sparkmedic at the files Spark writes to "
                                 "spark.eventLog.dir (driver and executor text logs go to "
                                 "--executor-logs)",
                                 Preview(line)))
              .WithPath(file.path)
              .WithLine(line.number);
        }
      }
      Event ev;
      ev.line = line.number;
      ev.offset = line.offset;
      ParseOutcome outcome = parser_->Parse(line.data, line.len, line.capacity, &arena,
                                            &ev.payload, &error);
      if (outcome == ParseOutcome::kOk) {
        ++stats_->events;
        builder_->Apply(ev);
      } else if (!line.terminated && last_file && source_.in_progress) {
        // A log still being written ends mid-line: expected.
        stats_->truncated_tail = true;
        sink_->Report(Diagnostic{DiagnosticKind::kTruncatedTail, file.path, line.number,
                                 line.offset,
                                 fmt::format("incomplete last line ({} bytes) of a log still "
                                             "being written; read again later for the rest",
                                             line.len),
                                 {}});
      } else if (outcome == ParseOutcome::kMissingField) {
        ++stats_->missing_field_events;
        sink_->Report(Diagnostic{DiagnosticKind::kMissingField, file.path, line.number,
                                 line.offset, error, {}});
      } else {
        ++stats_->malformed_lines;
        sink_->Report(Diagnostic{DiagnosticKind::kMalformedLine, file.path, line.number,
                                 line.offset, fmt::format("{} (line starts \"{}\")", error,
                                                          Preview(line)),
                                 {}});
      }
      arena.Reset();
      if (options_.strict && sink_->first_error()) return StrictFailure();
      if (options_.progress && (stats_->lines & 0x3FFF) == 0) {
        options_.progress->Update(done_before_ + stream->raw_bytes_consumed(), source_.total_size);
      }
    }
    if (reader.oversized_lines() > 0) {
      stats_->malformed_lines += reader.oversized_lines();
      sink_->Report(Diagnostic{DiagnosticKind::kMalformedLine, file.path,
                               reader.first_oversized_line(), reader.first_oversized_offset(),
                               fmt::format("{} line(s) longer than {} bytes skipped",
                                           reader.oversized_lines(), options_.max_line_bytes),
                               {}});
    }
    ReportStreamEnd(reader.status(), file, last_file);
    stats_->raw_bytes += stream->raw_bytes_consumed();
    stats_->decompressed_bytes += reader.decoded_bytes();
    done_before_ += file.size;
    if (reader.status().code() == StatusCode::kIOError) return reader.status();
    if (options_.strict && sink_->first_error()) return StrictFailure();
    return Status::Ok();
  }

 private:
  void ReportStreamEnd(const Status& st, const LogFile& file, bool last_file) {
    if (st.ok()) return;
    uint64_t off = st.offset().value_or(0);
    if (st.code() == StatusCode::kTruncated) {
      if (source_.in_progress && last_file) {
        stats_->truncated_tail = true;
        sink_->Report(Diagnostic{DiagnosticKind::kTruncatedTail, file.path, 0, off,
                                 fmt::format("compressed stream of a log still being written "
                                             "ends mid-block: {}",
                                             st.message()),
                                 {}});
      } else {
        sink_->Report(Diagnostic{DiagnosticKind::kTruncatedStream, file.path, 0, off,
                                 fmt::format("{}; the file was cut (copy interrupted, disk "
                                             "full?) — every complete event before it was read",
                                             st.message()),
                                 {}});
      }
    } else {
      sink_->Report(Diagnostic{DiagnosticKind::kCorruptStream, file.path, 0, off,
                               fmt::format("{}; the rest of this file was not read",
                                           st.message()),
                               {}});
    }
  }

  Status StrictFailure() {
    const Diagnostic* d = sink_->first_error();
    return Status::Corruption(fmt::format("{}: {} (--strict stops at the first problem; "
                                          "drop --strict to skip bad lines and read on)",
                                          DiagnosticKindName(d->kind), d->message))
        .WithPath(d->path)
        .WithLine(d->line)
        .WithOffset(d->offset);
  }

  const LogSource& source_;
  const LoadOptions& options_;
  StrictSink* sink_;
  ModelBuilder* builder_;
  EventParser* parser_;
  ReadStats* stats_;
  uint64_t done_before_ = 0;
};

}  // namespace

Result<Application> LoadApplication(const LogSource& source, const LoadOptions& options,
                                    DiagnosticSink* sink, ReadStats* stats) {
  auto t0 = std::chrono::steady_clock::now();
  ReadStats local;
  ReadStats* st = stats ? stats : &local;
  Application app;
  app.app_id = source.app_id;
  app.attempt_id = source.attempt_id;
  StrictSink strict(sink);
  ModelBuilder builder(&app, &strict);
  EventParser parser;
  FileLoader loader(source, options, &strict, &builder, &parser, st);
  for (size_t i = 0; i < source.files.size(); ++i) {
    ++st->files;
    Status s = loader.Load(source.files[i], i == 0, i + 1 == source.files.size());
    if (!s.ok()) return s;
  }
  builder.Finish();
  const ApplyCounters& c = builder.counters();
  st->ignored_events += c.ignored_events;
  st->unknown_events += c.unknown_events;
  if (source.in_progress) app.completed = false;
  if (options.progress) options.progress->Finish();
  st->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return app;
}

Result<std::vector<LoadedLog>> LoadPath(const std::string& path, const LoadOptions& options,
                                        DiagnosticSink* sink) {
  Result<std::vector<LogSource>> found = DiscoverLogs(path);
  if (!found.ok()) return found.status();
  std::vector<LoadedLog> out;
  out.reserve(found->size());
  for (LogSource& src : *found) {
    LoadedLog l;
    l.source = std::move(src);
    Result<Application> app = LoadApplication(l.source, options, sink, &l.stats);
    if (app.ok()) {
      l.app = std::move(app.value());
    } else {
      l.status = app.status();
      if (options.strict) return l.status;
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace sparkmedic
