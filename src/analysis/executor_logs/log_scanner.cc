#include "log_scanner.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "sparkmedic/codec.h"

#include "../classify/rules.h"
#include "attribution.h"
#include "line_text.h"
#include "rule_prefilter.h"
#include "task_mentions.h"

namespace sparkmedic::exlogs {
namespace {

// TriggerScanner flags.
constexpr uint32_t kRuleFlag = 1u << 0;    // the line may match a log rule
constexpr uint32_t kTidFlag = 1u << 1;     // it may name a task attempt
constexpr uint32_t kExecIdFlag = 1u << 2;  // it may state the executor id or pod name
constexpr int kWordShift = 8;              // bit kWordShift + RunbookWord: it has that word
constexpr uint32_t WordFlag(RunbookWord w) { return 1u << (kWordShift + static_cast<int>(w)); }

// The prefilter atoms, computed once per process (a few milliseconds of RE2 analysis).
const std::optional<std::vector<std::string>>& RuleAtoms() {
  static const std::optional<std::vector<std::string>> atoms = LogRuleTriggerAtoms();
  return atoms;
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

struct LogScanner::FileState {
  const LogFile* file = nullptr;
  uint32_t default_source = kNoSource;                 // for lines without a pod prefix
  std::vector<std::pair<std::string, uint32_t>> pods;  // pod → source
  std::string pod;                                     // the pod of the current line, when in_pod
  bool in_pod = false;
  bool skipping = false;  // inside a line longer than max_line_bytes, already counted
  uint64_t bytes = 0;
  Codec codec = Codec::kNone;
  std::vector<uint32_t> sources;  // in order of creation
};

LogScanner::LogScanner(const Classifier& classifier, const ExecutorLogOptions& options)
    : classifier_(classifier), options_(options) {
  const std::optional<std::vector<std::string>>& atoms = RuleAtoms();
  match_all_ = !options.prefilter || !atoms.has_value();
  if (!match_all_) {
    for (const std::string& a : *atoms) triggers_.Add(a, kRuleFlag);
  }
  for (int w = 0; w < kNumRunbookWords; ++w) {
    auto word = static_cast<RunbookWord>(w);
    triggers_.Add(RunbookWordName(word), WordFlag(word));
  }
  for (const char* a : {"(tid ", "got assigned task "}) triggers_.Add(a, kTidFlag);
  for (const char* a : {"starting executor id ", "--executor-id ", "--podname ",
                        "initialized blockmanager: blockmanagerid("}) {
    triggers_.Add(a, kExecIdFlag);
  }
  triggers_.Build();
  for (const classify::Rule& r : classify::Rules()) {
    if (!r.log) continue;
    slots_.push_back({std::string(r.id), r.cls});
    slot_of_.emplace(slots_.back().id, slots_.size() - 1);
  }
  buf_cap_ = options.block_bytes + options.max_line_bytes + TriggerScanner::kPadding;
  buf_.reset(new char[buf_cap_]());  // zeroed: the padding Scan may read is initialised
}

LogScanner::~LogScanner() = default;

uint32_t LogScanner::NewSource(const std::string& path, std::string_view pod) {
  SourceAcc& s = sources_.emplace_back();
  s.stats.path = path;
  s.stats.pod = std::string(pod);
  if (!pod.empty()) s.pod_executor = ExecutorFromPodName(pod);
  return static_cast<uint32_t>(sources_.size() - 1);
}

void LogScanner::SwitchToDefault(FileState& fs) {
  if (fs.default_source == kNoSource) {
    fs.default_source = NewSource(fs.file->path, "");
    fs.sources.push_back(fs.default_source);
  }
  fs.in_pod = false;
  cur_ = fs.default_source;
  cur_src_ = &sources_[cur_];
}

void LogScanner::SwitchPod(std::string_view pod, FileState& fs) {
  auto it =
      std::find_if(fs.pods.begin(), fs.pods.end(), [&](const auto& p) { return p.first == pod; });
  if (it == fs.pods.end()) {
    uint32_t s = NewSource(fs.file->path, pod);
    fs.sources.push_back(s);
    it = fs.pods.insert(fs.pods.end(), {std::string(pod), s});
  }
  fs.in_pod = true;
  fs.pod = it->first;
  cur_ = it->second;
  cur_src_ = &sources_[cur_];
}

Status LogScanner::ScanFile(const LogFile& file) {
  FileState fs;
  fs.file = &file;
  cur_ = kNoSource;
  cur_src_ = nullptr;
  line_no_ = 0;
  Status status;
  Result<std::unique_ptr<InputStream>> in = OpenEventLogFile(file.path, &fs.codec);
  if (in.ok()) {
    status = ReadStream(**in, fs);
  } else {
    status = in.status();
  }
  if (fs.sources.empty()) SwitchToDefault(fs);  // an empty file, or one that did not open
  SourceAcc& first = sources_[fs.sources.front()];
  if (status.code() == StatusCode::kTruncated) {
    first.stats.truncated = true;
  } else if (!status.ok()) {
    first.stats.error = status.ToString();
  }
  for (uint32_t s : fs.sources) {
    sources_[s].stats.codec = fs.codec;
    Attribute(s, file);
  }
  if (fs.sources.size() == 1) first.stats.bytes = fs.bytes;
  return status.code() == StatusCode::kTruncated ? Status::Ok() : status;
}

// PERF NOTES: one read per block_bytes (1 MiB: large enough that the syscall and decoder call
// overheads vanish, small enough to stay in L2), lines found with memchr in place; only the
// unfinished last line of a block is moved, to the front of the buffer.
Status LogScanner::ReadStream(InputStream& in, FileState& fs) {
  size_t have = 0;  // bytes of an unfinished line at buf_[0]
  for (;;) {
    Result<size_t> r = in.Read(buf_.get() + have, options_.block_bytes);
    if (!r.ok() || *r == 0) {
      if (have > 0 && !fs.skipping) Line(buf_.get(), have, false, fs);
      return r.status();
    }
    bytes_ += *r;
    fs.bytes += *r;
    char* begin = buf_.get();
    char* end = begin + have + *r;
    char* p = begin;
    while (char* nl = static_cast<char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) {
      size_t n = static_cast<size_t>(nl - p);
      if (fs.skipping) {
        fs.skipping = false;  // the end of an over-long line, counted already
      } else {
        Line(p, std::min(n, options_.max_line_bytes), n > options_.max_line_bytes, fs);
      }
      p = nl + 1;
    }
    have = static_cast<size_t>(end - p);
    if (fs.skipping) {
      have = 0;
    } else if (have > options_.max_line_bytes) {
      Line(p, options_.max_line_bytes, true, fs);
      fs.skipping = true;
      have = 0;
    } else {
      std::memmove(begin, p, have);
    }
  }
}

// PERF NOTES: the common case (a line no trigger atom occurs in) costs the TriggerScanner pass
// and a few counters; everything else is in Rare().
void LogScanner::Line(const char* p, size_t n, bool long_line, FileState& fs) {
  ++line_no_;
  if (n > 0 && p[n - 1] == '\r') --n;
  std::string_view pod, rest;
  if (n > 5 && p[0] == '[' && SplitPodPrefix({p, n}, &pod, &rest)) {
    if (!fs.in_pod || pod != fs.pod) SwitchPod(pod, fs);
    p = rest.data();
    n = rest.size();
  } else if (fs.in_pod || cur_ == kNoSource) {
    SwitchToDefault(fs);
  }
  SourceAcc& src = *cur_src_;
  ++src.stats.lines;
  src.stats.bytes += n + 1;
  if (long_line) ++src.stats.long_lines;
  uint32_t flags = triggers_.Scan(p, n);
  if (flags != 0 || match_all_) Rare({p, n}, flags);
}

void LogScanner::Rare(std::string_view line, uint32_t flags) {
  if (match_all_ || (flags & (kRuleFlag | TriggerScanner::kNonAscii))) AddRuleHits(line);
  for (int w = 0; w < kNumRunbookWords; ++w) {
    if (flags & WordFlag(static_cast<RunbookWord>(w))) ++cur_src_->stats.grep[w];
  }
  if (flags & WordFlag(RunbookWord::kException)) AddException(line);
  if (flags & kTidFlag) AddTasks(line);
  if (flags & kExecIdFlag) AddContentAttribution(line);
}

size_t LogScanner::SlotOf(std::string_view id) {
  auto it = slot_of_.find(id);
  if (it != slot_of_.end()) return it->second;
  slots_.push_back({std::string(id), FailureClass::kUnknown});  // a rule outside the table
  slot_of_.emplace(slots_.back().id, slots_.size() - 1);
  return slots_.size() - 1;
}

void LogScanner::AddRuleHits(std::string_view line) {
  ++lines_checked_;
  std::vector<std::string_view> ids = classifier_.MatchLogLine(line);
  if (ids.empty()) return;
  ++lines_matched_;
  for (std::string_view id : ids) {
    size_t slot = SlotOf(id);
    std::vector<RuleAcc>& rules = cur_src_->rules;
    if (rules.size() <= slot) rules.resize(slots_.size());
    RuleAcc& a = rules[slot];
    if (a.lines++ == 0) {
      a.first_line = line_no_;
      a.first_text = EvidenceText(line, kMaxEvidenceChars);
    }
    a.last_line = line_no_;
    a.last_text = EvidenceText(line, kMaxEvidenceChars);
  }
}

void LogScanner::AddException(std::string_view line) {
  NormaliseExceptionLine(line, kMaxEvidenceChars, &scratch_);
  auto it = exceptions_.find(scratch_);
  if (it == exceptions_.end()) {
    if (exceptions_.size() >= options_.max_distinct_exceptions) {
      ++exceptions_not_grouped_;
      return;
    }
    it = exceptions_.emplace(scratch_, ExceptionGroup{}).first;
    it->second.first_source = cur_;
    it->second.first_line = line_no_;
    it->second.first_text = EvidenceText(line, kMaxEvidenceChars);
  }
  ExceptionGroup& g = it->second;
  ++g.count;
  auto& per = g.per_source;
  auto at = std::find_if(per.rbegin(), per.rend(), [&](const auto& e) { return e.first == cur_; });
  if (at != per.rend()) {
    ++at->second;
  } else {
    per.insert(std::upper_bound(per.begin(), per.end(), std::make_pair(cur_, uint64_t{0})),
               {cur_, 1});
  }
}

void LogScanner::AddTasks(std::string_view line) {
  TaskMention mentions[4];
  size_t n = FindTaskMentions(line, mentions, 4);
  for (size_t i = 0; i < n; ++i) {
    const TaskMention& m = mentions[i];
    std::vector<int64_t>& sample = cur_src_->tid_sample;
    if (sample.size() < kMaxTidSample &&
        std::find(sample.begin(), sample.end(), m.tid) == sample.end()) {
      sample.push_back(m.tid);
    }
    auto it = tasks_.find(m.tid);
    if (it == tasks_.end()) {
      if (tasks_.size() >= options_.max_task_refs) {
        ++task_refs_dropped_;
        continue;
      }
      it = tasks_.emplace(m.tid, TaskAcc{}).first;
      it->second.ref.tid = m.tid;
      it->second.ref.source = cur_;
      it->second.ref.first_line = line_no_;
    }
    TaskAcc& t = it->second;
    if (t.ref.source != cur_) {
      if (t.other_source == kNoSource) t.other_source = cur_;
      continue;
    }
    if (t.ref.stage_id < 0 && m.stage_id >= 0) {
      t.ref.stage_id = m.stage_id;
      t.ref.stage_attempt = m.stage_attempt;
      t.ref.index = m.index;
      t.ref.attempt = m.attempt;
    }
    if (m.kind == TaskMention::kException && t.ref.exception_line == 0) {
      t.ref.exception_line = line_no_;
    }
    if (m.kind == TaskMention::kKilled && t.ref.killed_line == 0) t.ref.killed_line = line_no_;
  }
}

void LogScanner::AddContentAttribution(std::string_view line) {
  SourceAcc& s = *cur_src_;
  if (!s.content_executor.empty() && !s.stats.pod.empty()) return;
  std::string pod;
  std::string id = ExecutorFromLine(line, &pod);
  if (s.stats.pod.empty() && !pod.empty()) s.stats.pod = std::move(pod);
  if (s.content_executor.empty() && !id.empty()) {
    s.content_executor = std::move(id);
    s.content_line = line_no_;
    s.content_text = EvidenceText(line, kMaxEvidenceChars);
  }
}

// The strongest hint decides; weaker hints that disagree are noted after it.
void LogScanner::Attribute(uint32_t source, const LogFile& file) {
  SourceAcc& a = sources_[source];
  a.file_name = BaseName(file.path);
  a.file_executor = ExecutorFromFileName(a.file_name);
  for (const std::string& d : file.dirs) {
    a.dir_executor = ExecutorFromDirName(d);
    a.dir_name = d;
    if (!a.dir_executor.empty()) break;
  }
  struct Hint {
    AttributionSource by;
    const std::string* id;
    std::string what;
  };
  const Hint hints[] = {
      {AttributionSource::kContent, &a.content_executor,
       fmt::format("content line {}: \"{}\"", a.content_line, a.content_text)},
      {AttributionSource::kPodPrefix, &a.pod_executor, fmt::format("pod \"{}\"", a.stats.pod)},
      {AttributionSource::kFileName, &a.file_executor,
       fmt::format("file name \"{}\"", a.file_name)},
      {AttributionSource::kDirectoryName, &a.dir_executor,
       fmt::format("directory \"{}\"", a.dir_name)},
  };
  LogSourceStats& st = a.stats;
  for (const Hint& h : hints) {
    if (h.id->empty()) continue;
    if (st.attributed_by == AttributionSource::kNone) {
      st.executor = *h.id;
      st.attributed_by = h.by;
      st.attribution = h.what;
    } else if (*h.id != st.executor) {
      st.attribution += fmt::format("; {} says {}", AttributionSourceName(h.by), *h.id);
    }
  }
}

}  // namespace sparkmedic::exlogs
