// Discovery of event logs: classifies paths by the names Spark (and Databricks, and the
// History Server's compactor) give to files and directories. See docs/event-log-layouts.md
// for every layout and the reasons behind the rules below.
#include "sparkmedic/discovery.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string_view>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sparkmedic {
namespace {

constexpr std::string_view kInProgressSuffix = ".inprogress";
constexpr std::string_view kCompactSuffix = ".compact";
constexpr std::string_view kRollingDirPrefix = "eventlog_v2_";
constexpr std::string_view kRollingEventsPrefix = "events_";
constexpr std::string_view kAppStatusPrefix = "appstatus_";
constexpr std::string_view kSpark1LogPrefix = "EVENT_LOG_";
constexpr std::string_view kSpark1CodecPrefix = "COMPRESSION_CODEC_";
constexpr std::string_view kSpark1Complete = "APPLICATION_COMPLETE";
constexpr std::string_view kDatabricksLog = "eventlog";

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (!s->starts_with(prefix)) return false;
  s->remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (!s->ends_with(suffix)) return false;
  s->remove_suffix(suffix.size());
  return true;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Parses the digits at the start of `*s` (at most 18, so the value fits) and consumes them.
std::optional<int64_t> ConsumeNumber(std::string_view* s) {
  size_t n = 0;
  while (n < s->size() && n < 18 && (*s)[n] >= '0' && (*s)[n] <= '9') ++n;
  if (n == 0 || (n < s->size() && (*s)[n] >= '0' && (*s)[n] <= '9')) return std::nullopt;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + ((*s)[i] - '0');
  s->remove_prefix(n);
  return v;
}

// True for "<digits><sep><digits>".
bool IsTwoNumbers(std::string_view s, char sep) {
  size_t at = s.find(sep);
  return at != std::string_view::npos && IsDigits(s.substr(0, at)) && IsDigits(s.substr(at + 1));
}

// True when `s` is a whole app id of a shape some cluster manager generates (see the header).
bool IsKnownAppIdShape(std::string_view s) {
  if (ConsumePrefix(&s, "local-")) return IsDigits(s);
  if (ConsumePrefix(&s, "app-")) return IsTwoNumbers(s, '-');
  if (ConsumePrefix(&s, "application_")) return IsTwoNumbers(s, '_');
  if (ConsumePrefix(&s, "spark-")) {
    return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
  }
  return false;
}

// Attempt ids made of digits compare as numbers ("2" < "10"); others as text.
bool AttemptLess(const std::string& a, const std::string& b) {
  if (IsDigits(a) && IsDigits(b) && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

// --- The file system, through POSIX calls that report errors instead of throwing. ---

struct FileInfo {
  bool is_dir = false;
  bool is_regular = false;
  uint64_t size = 0;
  int64_t mtime_ms = 0;
  dev_t dev = 0;
  ino_t ino = 0;
};

struct DirEntry {
  std::string name;
  std::string path;
  FileInfo info;
};

// stat(2), following symbolic links. Errors: kNotFound, kIOError, both with `path`.
Result<FileInfo> StatPath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    std::string msg = fmt::format("cannot stat: {}", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return Status::NotFound(msg).WithPath(path);
    return Status::IOError(msg).WithPath(path);
  }
  FileInfo info;
  info.is_dir = S_ISDIR(st.st_mode);
  info.is_regular = S_ISREG(st.st_mode);
  info.size = static_cast<uint64_t>(st.st_size);
  info.mtime_ms = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  info.dev = st.st_dev;
  info.ino = st.st_ino;
  return info;
}

// Names no layout ever reads: hidden files, Hadoop checksums, temporary copies.
bool IsIgnoredName(std::string_view name) {
  return name.empty() || name.front() == '.' || name.ends_with(".crc") || name.ends_with(".tmp");
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// The entries of `dir` sorted by name, without ignored names and without entries that vanish
// or dangle before they can be stat'ed. Errors: kNotFound, kIOError with `dir`.
Result<std::vector<DirEntry>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    int err = errno;
    std::string msg = fmt::format("cannot list directory: {}", std::strerror(err));
    if (err == ENOENT) return Status::NotFound(msg).WithPath(dir);
    return Status::IOError(msg).WithPath(dir);
  }
  std::vector<DirEntry> entries;
  errno = 0;
  while (const dirent* ent = ::readdir(d)) {
    std::string name = ent->d_name;
    if (!IsIgnoredName(name)) {
      std::string path = JoinPath(dir, name);
      Result<FileInfo> info = StatPath(path);
      if (info.ok()) entries.push_back(DirEntry{std::move(name), std::move(path), *info});
    }
    errno = 0;
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) {
    return Status::IOError(fmt::format("cannot list directory: {}", std::strerror(err)))
        .WithPath(dir);
  }
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

// The last component of `path`, resolving "." and ".." (and trailing slashes) so that
// `sparkmedic .` inside a log directory still sees the directory's real name.
std::string BaseName(const std::string& path) {
  std::string_view p = path;
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  size_t slash = p.rfind('/');
  std::string name(slash == std::string_view::npos ? p : p.substr(slash + 1));
  if (name != "." && name != ".." && !name.empty()) return name;
  char* real = ::realpath(path.c_str(), nullptr);
  if (real == nullptr) return name;
  std::string resolved = real;
  std::free(real);
  return resolved == "/" ? resolved : resolved.substr(resolved.rfind('/') + 1);
}

// Up to 1 KiB from the start of `path` (enough to get past a few blank lines before the first
// '{'); nullopt if it cannot be read.
std::optional<std::string> ReadHead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[1024];
  ssize_t got;
  do {
    got = ::read(fd, buf, sizeof buf);
  } while (got < 0 && errno == EINTR);
  ::close(fd);
  if (got < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(got));
}

// --- Building LogSources. ---

void AddFile(LogSource* log, const DirEntry& entry, Codec codec, int64_t index, bool compact) {
  log->files.push_back(LogFile{entry.path, codec, entry.info.size, compact, index});
  log->total_size += entry.info.size;
  log->mtime_ms = std::max(log->mtime_ms, entry.info.mtime_ms);
}

// `name` without ".inprogress" and without the codec extension Spark appended.
std::string SingleFileStem(std::string_view name) {
  std::string_view stem = name;
  ConsumeSuffix(&stem, kInProgressSuffix);
  if (CodecFromFileName(name) != Codec::kNone) {
    size_t dot = stem.rfind('.');
    if (dot != std::string_view::npos) stem = stem.substr(0, dot);
  }
  return std::string(stem);
}

LogSource BuildSingleFile(const DirEntry& entry) {
  LogSource log;
  log.path = entry.path;
  log.layout = LogLayout::kSingleFile;
  log.in_progress = std::string_view(entry.name).ends_with(kInProgressSuffix);
  SplitAppAndAttempt(SingleFileStem(entry.name), &log.app_id, &log.attempt_id);
  AddFile(&log, entry, CodecFromFileName(entry.name), 0, false);
  return log;
}

// Whether a file met while searching a directory is worth reporting as a log. Spark names
// carry no dots except the codec's and ".inprogress" (its sanitize() turns '.' into '_'), so
// any other extension is clutter; an extension-less file must start like a log.
bool LooksLikeLogFile(const DirEntry& entry) {
  std::string_view stem = entry.name;
  ConsumeSuffix(&stem, kInProgressSuffix);
  Codec codec = CodecFromFileName(entry.name);
  if (codec != Codec::kNone) return true;
  if (stem.find('.') != std::string_view::npos) return false;  // README.md, notes.txt
  if (entry.info.size == 0) return true;  // a just-started log has not flushed yet
  std::optional<std::string> head = ReadHead(entry.path);
  if (!head) return true;  // unreadable: report it, the reader will say why it failed
  return SniffCodec(*head).has_value();
}

// N of "events_<N>_...", or nullopt when `name` is not a rolling events file.
std::optional<int64_t> RollingEventsIndex(std::string_view name) {
  if (!ConsumePrefix(&name, kRollingEventsPrefix)) return std::nullopt;
  std::optional<int64_t> n = ConsumeNumber(&name);
  if (!n || !name.starts_with('_')) return std::nullopt;
  return n;
}

// The "<app>[_<attempt>]" part of a rolling directory, from its name or, for a renamed
// directory, from its appstatus marker.
std::string RollingAppName(std::string_view dir_name, const std::vector<DirEntry>& entries) {
  if (ConsumePrefix(&dir_name, kRollingDirPrefix)) return std::string(dir_name);
  for (const DirEntry& e : entries) {
    std::string_view name = e.name;
    if (ConsumePrefix(&name, kAppStatusPrefix)) {
      ConsumeSuffix(&name, kInProgressSuffix);
      return std::string(name);
    }
  }
  return "";
}

struct IndexedEntry {
  int64_t index;
  const DirEntry* entry;
};

// Reading order of a rolling log: the newest compact file replaces every file with an index up
// to its own, so it is read first and older compacts and leftover originals are dropped.
std::vector<IndexedEntry> RollingReadingOrder(const std::vector<DirEntry>& entries) {
  std::vector<IndexedEntry> plain;
  std::optional<IndexedEntry> compact;
  for (const DirEntry& e : entries) {
    std::optional<int64_t> n = RollingEventsIndex(e.name);
    if (!n || !e.info.is_regular) continue;
    if (!std::string_view(e.name).ends_with(kCompactSuffix)) {
      plain.push_back({*n, &e});
    } else if (!compact || *n > compact->index) {
      compact = IndexedEntry{*n, &e};
    }
  }
  std::stable_sort(plain.begin(), plain.end(),
                   [](const IndexedEntry& a, const IndexedEntry& b) { return a.index < b.index; });
  std::vector<IndexedEntry> order;
  if (compact) order.push_back(*compact);
  for (const IndexedEntry& p : plain) {
    if (!compact || p.index > compact->index) order.push_back(p);
  }
  return order;
}

// nullopt when the directory holds no events file yet.
std::optional<LogSource> BuildRolling(const std::string& path, const std::string& dir_name,
                                      const std::vector<DirEntry>& entries) {
  std::vector<IndexedEntry> order = RollingReadingOrder(entries);
  if (order.empty()) return std::nullopt;
  LogSource log;
  log.path = path;
  log.layout = LogLayout::kRolling;
  SplitAppAndAttempt(RollingAppName(dir_name, entries), &log.app_id, &log.attempt_id);
  // Only the rename of the marker to its final name says the app stopped cleanly.
  log.in_progress = std::none_of(entries.begin(), entries.end(), [](const DirEntry& e) {
    std::string_view name = e.name;
    return name.starts_with(kAppStatusPrefix) && !name.ends_with(kInProgressSuffix);
  });
  for (const IndexedEntry& ie : order) {
    bool compact = std::string_view(ie.entry->name).ends_with(kCompactSuffix);
    AddFile(&log, *ie.entry, CodecFromFileName(ie.entry->name), ie.index, compact);
  }
  return log;
}

// Spark 1.x names its codec file after the codec's class ("COMPRESSION_CODEC_org.apache.
// spark.io.LZFCompressionCodec"); a short name ("lzf") is accepted too, as Spark's reader does.
Codec Spark1Codec(std::string_view codec_name) {
  std::string name(codec_name);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  std::string_view simple = name;
  if (size_t dot = simple.rfind('.'); dot != std::string_view::npos) simple.remove_prefix(dot + 1);
  ConsumeSuffix(&simple, "compressioncodec");
  if (simple == "lz4") return Codec::kLz4;
  if (simple == "lzf") return Codec::kLzf;
  if (simple == "snappy") return Codec::kSnappy;
  if (simple == "zstd") return Codec::kZstd;
  return Codec::kNone;
}

std::optional<int64_t> Spark1LogIndex(std::string_view name) {
  if (!ConsumePrefix(&name, kSpark1LogPrefix) || !IsDigits(name)) return std::nullopt;
  return ConsumeNumber(&name);
}

LogSource BuildSpark1(const std::string& path, const std::string& dir_name,
                      const std::vector<DirEntry>& entries) {
  LogSource log;
  log.path = path;
  log.layout = LogLayout::kSpark1Dir;
  log.app_id = dir_name;  // Spark 1.x had no attempt ids
  log.in_progress = true;
  Codec codec = Codec::kNone;
  std::vector<IndexedEntry> parts;
  for (const DirEntry& e : entries) {
    std::string_view name = e.name;
    if (name == kSpark1Complete) log.in_progress = false;
    if (ConsumePrefix(&name, kSpark1CodecPrefix)) codec = Spark1Codec(name);
    std::optional<int64_t> n = Spark1LogIndex(e.name);
    if (n && e.info.is_regular) parts.push_back({*n, &e});
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const IndexedEntry& a, const IndexedEntry& b) { return a.index < b.index; });
  for (const IndexedEntry& p : parts) AddFile(&log, *p.entry, codec, p.index, false);
  return log;
}

// "YYYYMMDDHHMM" from "eventlog-YYYY-MM-DD--HH-MM[.gz]", or nullopt for any other name.
std::optional<std::string> DatabricksPartDate(std::string_view name) {
  if (!ConsumePrefix(&name, kDatabricksLog) || !ConsumePrefix(&name, "-")) return std::nullopt;
  ConsumeSuffix(&name, ".gz");
  // 0123456789012345678
  // YYYY-MM-DD--HH-MM
  constexpr std::string_view kShape = "dddd-dd-dd--dd-dd";
  if (name.size() != kShape.size()) return std::nullopt;
  std::string key;
  for (size_t i = 0; i < kShape.size(); ++i) {
    bool digit = name[i] >= '0' && name[i] <= '9';
    if (kShape[i] == 'd' ? !digit : name[i] != '-') return std::nullopt;
    if (digit) key.push_back(name[i]);
  }
  return key;
}

// A Databricks log directory holds "eventlog" and dated parts and nothing else; a directory
// where "eventlog" sits among other logs is a directory of logs, "eventlog" one of them.
bool IsDatabricksDir(const std::vector<DirEntry>& entries) {
  bool has_current = false;
  for (const DirEntry& e : entries) {
    if (!e.info.is_regular) return false;
    if (e.name == kDatabricksLog) {
      has_current = true;
    } else if (!DatabricksPartDate(e.name)) {
      return false;
    }
  }
  return has_current;
}

LogSource BuildDatabricks(const std::string& path, const std::vector<DirEntry>& entries) {
  LogSource log;
  log.path = path;
  log.layout = LogLayout::kDatabricks;
  std::vector<std::pair<std::string, const DirEntry*>> parts;
  const DirEntry* current = nullptr;
  for (const DirEntry& e : entries) {
    if (e.name == kDatabricksLog) {
      current = &e;
    } else if (std::optional<std::string> date = DatabricksPartDate(e.name)) {
      parts.emplace_back(std::move(*date), &e);
    }
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  int64_t index = 0;
  for (const auto& part : parts) {
    AddFile(&log, *part.second, CodecFromFileName(part.second->name), ++index, false);
  }
  if (current) AddFile(&log, *current, CodecFromFileName(current->name), ++index, false);
  return log;
}

bool IsRollingDir(std::string_view dir_name, const std::vector<DirEntry>& entries) {
  if (dir_name.starts_with(kRollingDirPrefix)) return true;
  // A renamed rolling directory: recognised by its marker plus an events file.
  bool marker = false;
  bool events = false;
  for (const DirEntry& e : entries) {
    marker = marker || std::string_view(e.name).starts_with(kAppStatusPrefix);
    events = events || RollingEventsIndex(e.name).has_value();
  }
  return marker && events;
}

bool IsSpark1Dir(const std::vector<DirEntry>& entries) {
  return std::any_of(entries.begin(), entries.end(), [](const DirEntry& e) {
    return e.info.is_regular && Spark1LogIndex(e.name).has_value();
  });
}

// Walks a path and collects every log under it.
class Scanner {
 public:
  Status ScanTop(const std::string& path);
  std::vector<LogSource> TakeLogs() { return std::move(logs_); }

 private:
  Status ScanDirectory(const std::string& path, const FileInfo& info, int depth);
  Status ScanPlainDirectory(const std::vector<DirEntry>& entries, int depth);

  std::set<std::pair<dev_t, ino_t>> visited_;
  std::vector<LogSource> logs_;
};

Status Scanner::ScanTop(const std::string& path) {
  Result<FileInfo> info = StatPath(path);
  if (!info.ok()) return info.status();
  if (info->is_dir) return ScanDirectory(path, *info, 0);
  if (!info->is_regular) {
    return Status::InvalidArgument("not a regular file or a directory").WithPath(path);
  }
  logs_.push_back(BuildSingleFile(DirEntry{BaseName(path), path, *info}));
  return Status::Ok();
}

// Lists `path` and adds the log it is, or the logs inside it. Listing errors are returned for
// the top path and for rolling dirs; other subdirectories that cannot be listed are skipped.
Status Scanner::ScanDirectory(const std::string& path, const FileInfo& info, int depth) {
  if (!visited_.insert({info.dev, info.ino}).second) return Status::Ok();  // a symlink loop
  std::string dir_name = BaseName(path);
  Result<std::vector<DirEntry>> entries = ListDir(path);
  if (!entries.ok()) {
    bool must_report = depth == 0 || dir_name.starts_with(kRollingDirPrefix);
    return must_report ? entries.status() : Status::Ok();
  }
  if (IsRollingDir(dir_name, *entries)) {
    if (std::optional<LogSource> log = BuildRolling(path, dir_name, *entries)) {
      logs_.push_back(std::move(*log));
    }
  } else if (IsSpark1Dir(*entries)) {
    logs_.push_back(BuildSpark1(path, dir_name, *entries));
  } else if (IsDatabricksDir(*entries)) {
    logs_.push_back(BuildDatabricks(path, *entries));
  } else {
    return ScanPlainDirectory(*entries, depth);
  }
  return Status::Ok();
}

Status Scanner::ScanPlainDirectory(const std::vector<DirEntry>& entries, int depth) {
  for (const DirEntry& e : entries) {
    if (e.info.is_regular) {
      if (LooksLikeLogFile(e)) logs_.push_back(BuildSingleFile(e));
    } else if (e.info.is_dir && depth < kMaxSearchDepth) {
      SPARKMEDIC_RETURN_IF_ERROR(ScanDirectory(e.path, e.info, depth + 1));
    }
  }
  return Status::Ok();
}

}  // namespace

const char* LogLayoutName(LogLayout layout) {
  switch (layout) {
    case LogLayout::kSingleFile:
      return "single-file";
    case LogLayout::kRolling:
      return "rolling";
    case LogLayout::kSpark1Dir:
      return "spark1-dir";
    case LogLayout::kDatabricks:
      return "databricks";
  }
  return "unknown";
}

void SplitAppAndAttempt(const std::string& name, std::string* app_id, std::string* attempt_id) {
  size_t underscore = name.rfind('_');
  if (underscore != std::string::npos && IsDigits(std::string_view(name).substr(underscore + 1)) &&
      IsKnownAppIdShape(std::string_view(name).substr(0, underscore))) {
    *app_id = name.substr(0, underscore);
    *attempt_id = name.substr(underscore + 1);
    return;
  }
  *app_id = name;
  attempt_id->clear();
}

Result<std::vector<LogSource>> DiscoverLogs(const std::string& path) {
  Scanner scanner;
  SPARKMEDIC_RETURN_IF_ERROR(scanner.ScanTop(path));
  std::vector<LogSource> logs = scanner.TakeLogs();
  std::sort(logs.begin(), logs.end(), [](const LogSource& a, const LogSource& b) {
    if (a.app_id != b.app_id) return a.app_id < b.app_id;
    if (a.attempt_id != b.attempt_id) return AttemptLess(a.attempt_id, b.attempt_id);
    return a.path < b.path;
  });
  return logs;
}

}  // namespace sparkmedic
