// Loader: files → decoded streams → chunks of lines → typed events → the model.
//
// Two schedules share every rule:
//  - inline (threads == 1): read a chunk, parse its lines, apply each event at once;
//  - parallel: reader threads decode files into chunks (several files at once for rolling
//    logs), parser threads turn chunks into event batches, and the calling thread applies the
//    batches strictly in log order. The model is identical whatever the thread count.
//
// PERF NOTES: parsing is ~90% of the work, applying ~10%, so parallel parsing scales on
// cores until the single applier saturates. Chunks are ~4 MiB; the number of chunks read but
// not yet applied is bounded, so memory stays flat however large the log.
#include "sparkmedic/loader.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "sparkmedic/codec.h"

#include "core/model/chunk_reader.h"
#include "core/model/event_parser.h"
#include "core/model/model_builder.h"

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

std::string Preview(const char* data, size_t len) {
  std::string s(data, std::min<size_t>(len, 80));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

// One parsed line of a chunk.
struct Item {
  uint64_t local_line = 0;  // 1-based within the chunk
  uint64_t offset = 0;      // decoded-stream offset
  ParseOutcome outcome = ParseOutcome::kOk;
  bool terminated = true;
  bool starts_with_brace = true;
  size_t len = 0;
  std::string text;  // error message, with a preview of the line (errors only)
  EventPayload payload;
};

// Splits a chunk into lines and parses each, calling fn(Item&) in order. Returns the number
// of '\n' in the chunk.
template <typename Fn>
uint64_t ParseChunk(const Chunk& c, EventParser* parser, Arena* arena, Fn&& fn) {
  const char* base = c.data.get();
  const size_t cap = c.size + kJsonPadding;
  size_t pos = 0;
  uint64_t line = 0;
  std::string error;
  while (pos < c.size) {
    const char* nl = static_cast<const char*>(std::memchr(base + pos, '\n', c.size - pos));
    size_t end = nl ? static_cast<size_t>(nl - base) : c.size;
    ++line;
    size_t len = end - pos;
    if (len > 0 && base[pos + len - 1] == '\r') --len;
    size_t first = pos;
    while (first < pos + len && (base[first] == ' ' || base[first] == '\t')) ++first;
    if (first < pos + len) {
      Item item;
      item.local_line = line;
      item.offset = c.offset + pos;
      item.terminated = nl != nullptr;
      item.starts_with_brace = base[first] == '{';
      item.len = len;
      item.outcome = parser->Parse(base + pos, len, cap - pos, arena, &item.payload, &error);
      if (item.outcome != ParseOutcome::kOk) {
        item.text = item.outcome == ParseOutcome::kMalformed
                        ? fmt::format("{} (line starts \"{}\")", error, Preview(base + pos, len))
                        : error;
      } else if (!item.starts_with_brace) {
        item.text = Preview(base + pos, len);
      }
      fn(item);
    }
    pos = end + 1;
  }
  return line - (c.size > 0 && base[c.size - 1] != '\n' ? 1 : 0);
}

// Everything a reader learned about a file once it is exhausted.
struct FileEnd {
  Status stream_status;
  uint64_t raw_bytes = 0;
  uint64_t decoded_bytes = 0;
};

// Applies parsed items of one log, in order, with all the bad-input rules.
class Applier {
 public:
  Applier(const LogSource& source, const LoadOptions& options, StrictSink* sink,
          ModelBuilder* builder, ReadStats* stats)
      : source_(source), options_(options), sink_(sink), builder_(builder), stats_(stats) {}

  void BeginFile(size_t index) {
    file_ = index;
    line_base_ = 0;
    seen_line_ = false;
    builder_->SetPath(path());
  }

  // Oversized lines dropped before a chunk.
  void Oversized(const Chunk& c) {
    if (c.oversized_lines == 0) return;
    stats_->malformed_lines += c.oversized_lines;
    stats_->lines += c.oversized_lines;
    sink_->Report(Diagnostic{DiagnosticKind::kMalformedLine,
                             path(),
                             line_base_ + 1,
                             c.oversized_offset,
                             fmt::format("{} line(s) longer than {} bytes skipped",
                                         c.oversized_lines, options_.max_line_bytes),
                             {}});
    line_base_ += c.oversized_lines;
  }

  // Returns non-OK to stop the whole load.
  Status Apply(Item& item) {
    ++stats_->lines;
    uint64_t line = line_base_ + item.local_line;
    if (!seen_line_) {
      seen_line_ = true;
      if (file_ == 0 && !item.starts_with_brace) return NotAnEventLog(item, line);
    }
    if (item.outcome == ParseOutcome::kOk) {
      ++stats_->events;
      Event ev;
      ev.line = line;
      ev.offset = item.offset;
      ev.payload = std::move(item.payload);
      builder_->Apply(ev);
    } else if (!item.terminated && last_file() && source_.in_progress) {
      stats_->truncated_tail = true;
      sink_->Report(Diagnostic{DiagnosticKind::kTruncatedTail,
                               path(),
                               line,
                               item.offset,
                               fmt::format("incomplete last line ({} bytes) of a log still "
                                           "being written; read again later for the rest",
                                           item.len),
                               {}});
    } else if (item.outcome == ParseOutcome::kMissingField) {
      ++stats_->missing_field_events;
      sink_->Report(Diagnostic{
          DiagnosticKind::kMissingField, path(), line, item.offset, std::move(item.text), {}});
    } else {
      ++stats_->malformed_lines;
      sink_->Report(Diagnostic{
          DiagnosticKind::kMalformedLine, path(), line, item.offset, std::move(item.text), {}});
    }
    if (options_.strict && sink_->first_error()) return StrictFailure();
    return Status::Ok();
  }

  void EndChunk(uint64_t newlines) { line_base_ += newlines; }

  Status EndFile(const FileEnd& end) {
    stats_->raw_bytes += end.raw_bytes;
    stats_->decompressed_bytes += end.decoded_bytes;
    const Status& st = end.stream_status;
    if (!st.ok()) ReportStreamEnd(st);
    if (st.code() == StatusCode::kIOError) return st;
    if (options_.strict && sink_->first_error()) return StrictFailure();
    return Status::Ok();
  }

 private:
  const std::string& path() const { return source_.files[file_].path; }
  bool last_file() const { return file_ + 1 == source_.files.size(); }

  Status NotAnEventLog(const Item& item, uint64_t line) {
    std::string preview = item.text;
    sink_->Report(Diagnostic{DiagnosticKind::kNotAnEventLog,
                             path(),
                             line,
                             item.offset,
                             fmt::format("does not look like a Spark event log (it starts with "
                                         "\"{}\")",
                                         preview),
                             {}});
    return Status::Corruption(fmt::format("not a Spark event log: the first line is \"{}\", not "
                                          "a JSON event; point sparkmedic at the files Spark "
                                          "writes to spark.eventLog.dir (driver and executor "
                                          "text logs go to --executor-logs)",
                                          preview))
        .WithPath(path())
        .WithLine(line);
  }

  void ReportStreamEnd(const Status& st) {
    uint64_t off = st.offset().value_or(0);
    if (st.code() == StatusCode::kTruncated) {
      if (source_.in_progress && last_file()) {
        stats_->truncated_tail = true;
        sink_->Report(Diagnostic{DiagnosticKind::kTruncatedTail,
                                 path(),
                                 0,
                                 off,
                                 fmt::format("compressed stream of a log still being written "
                                             "ends mid-block: {}",
                                             st.message()),
                                 {}});
      } else {
        sink_->Report(Diagnostic{DiagnosticKind::kTruncatedStream,
                                 path(),
                                 0,
                                 off,
                                 fmt::format("{}; the file was cut (copy interrupted, disk "
                                             "full?) - every complete event before it was read",
                                             st.message()),
                                 {}});
      }
    } else {
      sink_->Report(Diagnostic{DiagnosticKind::kCorruptStream,
                               path(),
                               0,
                               off,
                               fmt::format("{}; the rest of this file was not read", st.message()),
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
  ReadStats* stats_;
  size_t file_ = 0;
  uint64_t line_base_ = 0;
  bool seen_line_ = false;
};

Result<std::unique_ptr<InputStream>> OpenFile(const LogFile& file) {
  Codec codec = file.codec;
  return OpenEventLogFile(file.path, &codec);
}

// ---------------------------------------------------------------------------------------------
// Inline schedule.

Status LoadInline(const LogSource& source, const LoadOptions& options, Applier* applier) {
  EventParser parser;
  parser.set_keep_task_accumulables(options.keep_task_accumulables);
  parser.set_keep_executor_metrics(options.keep_executor_metrics);
  Arena arena;
  ChunkBufferPool pool;
  uint64_t done_before = 0;
  for (size_t f = 0; f < source.files.size(); ++f) {
    applier->BeginFile(f);
    auto opened = OpenFile(source.files[f]);
    if (!opened.ok()) return opened.status();
    InputStream* in = opened->get();
    ChunkReader reader(in, options.max_line_bytes, &pool);
    Chunk chunk;
    Status stop;
    while (stop.ok() && reader.Next(&chunk)) {
      applier->Oversized(chunk);
      uint64_t newlines = ParseChunk(chunk, &parser, &arena, [&](Item& item) {
        if (stop.ok()) stop = applier->Apply(item);
        arena.Reset();
      });
      applier->EndChunk(newlines);
      pool.Put(std::move(chunk.data), chunk.capacity);
      if (options.progress) {
        options.progress->Update(done_before + in->raw_bytes_consumed(), source.total_size);
      }
    }
    if (!stop.ok()) return stop;
    SPARKMEDIC_RETURN_IF_ERROR(applier->EndFile(
        FileEnd{reader.status(), in->raw_bytes_consumed(), reader.decoded_bytes()}));
    done_before += source.files[f].size;
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Parallel schedule.

struct ParsedChunk {
  Chunk chunk;  // kept alive: items' strings point into the arena, not the chunk
  std::vector<Item> items;
  Arena arena;
  uint64_t newlines = 0;
  bool parsed = false;
  bool last = false;  // the file's last chunk
  FileEnd end;        // valid when last
  uint64_t raw_progress = 0;
  Status open_error;  // the file could not be opened
};

class Pipeline {
 public:
  Pipeline(const LogSource& source, const LoadOptions& options, int threads)
      : source_(source),
        options_(options),
        threads_(threads),
        budget_(static_cast<size_t>(threads) * 3 + 2),
        per_file_(source.files.size()) {}

  Status Run(Applier* applier) {
    size_t readers = std::min<size_t>(static_cast<size_t>(threads_), source_.files.size());
    std::vector<std::thread> pool;
    for (size_t i = 0; i < readers; ++i) pool.emplace_back([this] { ReaderLoop(); });
    for (int i = 0; i < threads_; ++i) pool.emplace_back([this] { ParserLoop(); });
    Status st = ApplyLoop(applier);
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : pool) t.join();
    return st;
  }

 private:
  // Reads whole files, one at a time per reader, in file order.
  void ReaderLoop() {
    for (;;) {
      size_t f = next_file_.fetch_add(1);
      if (f >= source_.files.size()) return;
      auto opened = OpenFile(source_.files[f]);
      if (!opened.ok()) {
        auto pc = std::make_shared<ParsedChunk>();
        pc->open_error = opened.status();
        pc->last = pc->parsed = true;
        Push(f, pc, /*needs_parse=*/false);
        continue;
      }
      InputStream* in = opened->get();
      ChunkReader reader(in, options_.max_line_bytes, &pool_);
      for (;;) {
        auto pc = std::make_shared<ParsedChunk>();
        bool more = reader.Next(&pc->chunk);
        pc->raw_progress = in->raw_bytes_consumed();
        if (!more || pc->chunk.last) {
          pc->last = true;
          pc->end = FileEnd{reader.status(), in->raw_bytes_consumed(), reader.decoded_bytes()};
        }
        if (!WaitForRoom(f)) return;
        Push(f, pc, /*needs_parse=*/more);
        if (pc->last) break;
      }
    }
  }

  // A reader may run ahead only within the budget, except for the file being applied, which
  // must always progress (it is what the applier waits for).
  bool WaitForRoom(size_t f) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] {
      return stop_ || outstanding_ < budget_ ||
             (f == applying_file_ && per_file_[f].size() < budget_);
    });
    return !stop_;
  }

  void Push(size_t f, std::shared_ptr<ParsedChunk> pc, bool needs_parse) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      per_file_[f].push_back(pc);
      ++outstanding_;
      if (needs_parse) {
        parse_queue_.push_back(pc);
      } else {
        pc->parsed = true;
      }
    }
    cv_.notify_all();
  }

  void ParserLoop() {
    EventParser parser;
    parser.set_keep_task_accumulables(options_.keep_task_accumulables);
    parser.set_keep_executor_metrics(options_.keep_executor_metrics);
    for (;;) {
      std::shared_ptr<ParsedChunk> pc;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !parse_queue_.empty(); });
        if (stop_) return;
        pc = std::move(parse_queue_.front());
        parse_queue_.pop_front();
      }
      // Event lines are a few KiB: reserving for one per KiB avoids moving Items on growth.
      pc->items.reserve(pc->chunk.size / 1024 + 16);
      pc->newlines = ParseChunk(pc->chunk, &parser, &pc->arena,
                                [&](Item& item) { pc->items.push_back(std::move(item)); });
      // The items own or arena-copy what they keep: the buffer can serve another chunk.
      pool_.Put(std::move(pc->chunk.data), pc->chunk.capacity);
      {
        std::lock_guard<std::mutex> lock(mu_);
        pc->parsed = true;
      }
      cv_.notify_all();
    }
  }

  Status ApplyLoop(Applier* applier) {
    uint64_t done_before = 0;
    for (size_t f = 0; f < source_.files.size(); ++f) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        applying_file_ = f;
      }
      cv_.notify_all();
      applier->BeginFile(f);
      for (;;) {
        std::shared_ptr<ParsedChunk> pc;
        {
          std::unique_lock<std::mutex> lock(mu_);
          cv_.wait(lock, [&] { return !per_file_[f].empty() && per_file_[f].front()->parsed; });
          pc = std::move(per_file_[f].front());
          per_file_[f].pop_front();
          --outstanding_;
        }
        cv_.notify_all();
        if (!pc->open_error.ok()) return pc->open_error;
        applier->Oversized(pc->chunk);
        for (Item& item : pc->items) SPARKMEDIC_RETURN_IF_ERROR(applier->Apply(item));
        applier->EndChunk(pc->newlines);
        if (options_.progress) {
          options_.progress->Update(done_before + pc->raw_progress, source_.total_size);
        }
        if (pc->last) {
          SPARKMEDIC_RETURN_IF_ERROR(applier->EndFile(pc->end));
          break;
        }
      }
      done_before += source_.files[f].size;
    }
    return Status::Ok();
  }

  const LogSource& source_;
  const LoadOptions& options_;
  const int threads_;
  const size_t budget_;
  std::atomic<size_t> next_file_{0};
  ChunkBufferPool pool_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  size_t applying_file_ = 0;
  size_t outstanding_ = 0;
  std::vector<std::deque<std::shared_ptr<ParsedChunk>>> per_file_;
  std::deque<std::shared_ptr<ParsedChunk>> parse_queue_;
};

int EffectiveThreads(const LogSource& source, const LoadOptions& options) {
  int t = options.threads;
  if (t <= 0) t = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Small logs are not worth a thread.
  if (source.total_size < (uint64_t{8} << 20)) return 1;
  return t;
}

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
  Applier applier(source, options, &strict, &builder, st);
  st->files += source.files.size();
  int threads = EffectiveThreads(source, options);
  Status s = threads == 1 ? LoadInline(source, options, &applier)
                          : Pipeline(source, options, threads).Run(&applier);
  if (!s.ok()) return s;
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
