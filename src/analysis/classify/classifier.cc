// The rule engine: evaluates the table in rules.cc in the stages described in rules.h.
//
// Every pattern is compiled once, into four RE2::Sets: class names (anchored both ends),
// message and reason texts, whole failure texts, executor-log lines. A text is matched once
// against a set and the resulting rule bits are then filtered by stage, so the cost of a
// classification does not grow with the number of rules that do not match.
#include <algorithm>
#include <bitset>
#include <optional>

#include <fmt/format.h>
#include <re2/re2.h>
#include <re2/set.h>

#include "sparkmedic/classify.h"

#include "exception_chain.h"
#include "rules.h"

namespace sparkmedic {
namespace {

using classify::ChainEntry;
using classify::Rule;
using classify::Special;

constexpr size_t kMaxRules = 128;
using RuleBits = std::bitset<kMaxRules>;

RE2::Options SetOptions() {
  RE2::Options o;
  o.set_log_errors(false);
  // The sets are large and unanchored; give their DFAs room (the default 8 MiB makes the
  // log set fall back to slower matching on long lines).
  o.set_max_mem(int64_t{64} << 20);
  return o;
}

// One RE2::Set and, per pattern, the rule it belongs to. When the DFA runs out of memory the
// patterns are tried one by one (slow, but the answer stays right).
class RuleSet {
 public:
  explicit RuleSet(RE2::Anchor anchor) : anchor_(anchor), set_(SetOptions(), anchor) {}

  void Add(const std::string& pattern, size_t rule) {
    if (set_.Add(pattern, nullptr) < 0) return;  // classify_test checks every pattern parses
    rule_of_.push_back(static_cast<uint16_t>(rule));
    single_.push_back(std::make_unique<RE2>(pattern, SetOptions()));
  }
  void Compile() { compiled_ = !rule_of_.empty() && set_.Compile(); }

  // True when any pattern matches; fills `bits` (if given) with the rules of all that do.
  bool Match(std::string_view text, RuleBits* bits) const {
    if (!compiled_) return false;
    if (bits == nullptr) {
      RE2::Set::ErrorInfo err{RE2::Set::kNoError};
      if (set_.Match(text, nullptr, &err)) return true;
      if (err.kind == RE2::Set::kNoError) return false;
      RuleBits scratch;
      return Match(text, &scratch);
    }
    std::vector<int> hits;
    RE2::Set::ErrorInfo err{RE2::Set::kNoError};
    if (set_.Match(text, &hits, &err)) {
      for (int h : hits) bits->set(rule_of_[static_cast<size_t>(h)]);
      return true;
    }
    if (err.kind == RE2::Set::kNoError) return false;
    return MatchOneByOne(text, bits);
  }

 private:
  bool MatchOneByOne(std::string_view text, RuleBits* bits) const {
    bool any = false;
    for (size_t i = 0; i < single_.size(); ++i) {
      bool m = anchor_ == RE2::ANCHOR_BOTH ? RE2::FullMatch(text, *single_[i])
                                           : RE2::PartialMatch(text, *single_[i]);
      if (m) {
        bits->set(rule_of_[i]);
        any = true;
      }
    }
    return any;
  }

  RE2::Anchor anchor_;
  RE2::Set set_;
  std::vector<uint16_t> rule_of_;
  std::vector<std::unique_ptr<RE2>> single_;
  bool compiled_ = false;
};

std::string TextPattern(const Rule& r) {
  return r.icase ? fmt::format("(?i:{})", r.text_re) : fmt::format("(?:{})", r.text_re);
}

// The one-line search form of a rule: its class name, then (on the same line) its text.
std::string SearchPattern(const Rule& r) {
  if (r.class_re.empty()) return TextPattern(r);
  if (r.text_re.empty()) return fmt::format("(?:{})", r.class_re);
  return fmt::format("(?:{})[^\\n]*{}", r.class_re, TextPattern(r));
}

std::string_view FirstLine(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return {};
  text.remove_prefix(i);
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return text.size() > 1000 ? text.substr(0, 1000) : text;
}

std::string ChainEvidence(const std::vector<ChainEntry>& chain) {
  std::string out = "chain: ";
  for (size_t i = 0; i < chain.size(); ++i) {
    if (i) out += " -> ";
    out += chain[i].DisplayClass();
    if (chain[i].python()) out += " (Python)";
  }
  return out;
}

// The exit code a loss reason reports, if any (evidence only; rules decide on their own).
std::optional<int> ExitCodeOf(std::string_view text) {
  static const RE2 kExit(
      R"((?i)(?:\bexit(?:ed with)?(?: exit)? (?:code|status)(?: is)?|\bexitcode)\s*[:=]?\s*(-?\d+))");
  int code = 0;
  if (RE2::PartialMatch(text, kExit, &code)) return code;
  return std::nullopt;
}

class RuleClassifier final : public Classifier {
 public:
  RuleClassifier();

  Classification ClassifyTask(const TaskFailure& f, const ClassifyContext& ctx) const override;
  Classification ClassifyText(std::string_view text) const override;
  std::vector<std::string_view> MatchLogLine(std::string_view line) const override;

 private:
  // The first rule (table order) with `scope` among `bits`.
  std::optional<size_t> First(const RuleBits& bits, uint8_t scope) const;
  std::optional<size_t> KindRule(TaskEndKind kind) const;
  std::optional<size_t> ExceptionRule(const std::vector<ChainEntry>& chain, size_t* entry) const;
  std::optional<size_t> SpecialRule(const std::vector<ChainEntry>& chain,
                                    const ClassifyContext& ctx) const;
  std::optional<size_t> TextRule(std::string_view text) const;

  Classification Decide(std::optional<size_t> rule, std::string root, std::string evidence) const;
  Classification ClassifyReason(const TaskFailure& f, uint8_t scope, std::string_view reason,
                                std::string root, std::string evidence) const;
  Classification ClassifyExecutorLost(const TaskFailure& f, const ClassifyContext& ctx) const;
  Classification ClassifyException(const TaskFailure& f, const ClassifyContext& ctx) const;
  Classification ClassifyFreeText(std::string_view text) const;
  std::string_view Unwrap(std::string_view text) const;

  std::span<const Rule> rules_;
  RuleSet class_set_{RE2::ANCHOR_BOTH};         // kException class_re
  RuleSet msg_set_{RE2::UNANCHORED};            // text_re of kException, kKillReason, kLossReason
  RuleSet text_set_{RE2::UNANCHORED};           // search patterns of kText rules
  RuleSet log_set_{RE2::UNANCHORED};            // search patterns of log rules
  std::vector<std::unique_ptr<RE2>> wrappers_;  // prefixes ClassifyText strips
};

RuleClassifier::RuleClassifier() : rules_(classify::Rules()) {
  for (size_t i = 0; i < rules_.size() && i < kMaxRules; ++i) {
    const Rule& r = rules_[i];
    if ((r.scopes & classify::kException) && !r.class_re.empty()) {
      class_set_.Add(std::string(r.class_re), i);
    }
    if ((r.scopes & (classify::kException | classify::kKillReason | classify::kLossReason)) &&
        !r.text_re.empty()) {
      msg_set_.Add(TextPattern(r), i);
    }
    bool searchable = !r.class_re.empty() || !r.text_re.empty();
    if ((r.scopes & classify::kText) && searchable) text_set_.Add(SearchPattern(r), i);
    if (r.log && searchable) log_set_.Add(SearchPattern(r), i);
  }
  class_set_.Compile();
  msg_set_.Compile();
  text_set_.Compile();
  log_set_.Compile();
  // What Spark puts before the failure it reports (TaskSetManager, DAGScheduler; 2.4 to 4.x).
  for (const char* p : {
           R"(\s*Job aborted due to stage failure:\s*)",
           R"(Task \d+ in stage [\d.]+ failed \d+ times?, most recent failure:\s*)",
           R"(Lost task [\d.]+ in stage [\d.]+ \(TID \d+[^)]*\)(?: \([^)]*\))?:\s*)",
           R"((?:ShuffleMapStage|ResultStage|Stage) \d+ \(.*\) has failed the maximum allowable )"
           R"(number of times: \d+\. Most recent failure reason:\s*)",
       }) {
    wrappers_.push_back(std::make_unique<RE2>(p, SetOptions()));
  }
}

std::optional<size_t> RuleClassifier::First(const RuleBits& bits, uint8_t scope) const {
  for (size_t i = 0; i < rules_.size() && i < kMaxRules; ++i) {
    if (bits[i] && (rules_[i].scopes & scope)) return i;
  }
  return std::nullopt;
}

std::optional<size_t> RuleClassifier::KindRule(TaskEndKind kind) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if ((rules_[i].scopes & classify::kEndKind) && rules_[i].kind == kind) return i;
  }
  return std::nullopt;
}

// Dominant rules anywhere (outermost first), then every rule from the deepest cause outward.
std::optional<size_t> RuleClassifier::ExceptionRule(const std::vector<ChainEntry>& chain,
                                                    size_t* entry) const {
  std::vector<RuleBits> cls(chain.size()), msg(chain.size());
  for (size_t e = 0; e < chain.size(); ++e) {
    class_set_.Match(chain[e].cls, &cls[e]);
    msg_set_.Match(chain[e].message, &msg[e]);
  }
  auto matches = [&](size_t r, size_t e) {
    const Rule& rule = rules_[r];
    if (!(rule.scopes & classify::kException)) return false;
    if (rule.class_re.empty() && rule.text_re.empty()) return false;
    return (rule.class_re.empty() || cls[e][r]) && (rule.text_re.empty() || msg[e][r]);
  };
  for (size_t e = 0; e < chain.size(); ++e) {
    for (size_t r = 0; r < rules_.size() && r < kMaxRules; ++r) {
      if (rules_[r].dominant && matches(r, e)) {
        *entry = e;
        return r;
      }
    }
  }
  for (size_t e = chain.size(); e-- > 0;) {
    for (size_t r = 0; r < rules_.size() && r < kMaxRules; ++r) {
      if (matches(r, e)) {
        *entry = e;
        return r;
      }
    }
  }
  return std::nullopt;
}

bool SpecialHolds(Special s, const std::vector<ChainEntry>& chain, const ClassifyContext& ctx) {
  const std::vector<std::string>& pkgs = ctx.app_packages;
  switch (s) {
    case Special::kNone:
      return false;
    case Special::kAppPackageException:
    case Special::kNonFrameworkException:
      if (pkgs.empty() != (s == Special::kNonFrameworkException)) return false;
      return std::any_of(chain.begin(), chain.end(),
                         [&](const ChainEntry& e) { return classify::IsAppClass(e.cls, pkgs); });
    case Special::kThrownInAppCode:
      for (size_t i = chain.size(); i-- > 0;) {
        if (chain[i].python()) continue;  // Python errors have their own rules
        return !chain[i].frames.empty() &&
               classify::IsAppFrame(chain[i].frames.front(), false, pkgs);
      }
      return false;
  }
  return false;
}

std::optional<size_t> RuleClassifier::SpecialRule(const std::vector<ChainEntry>& chain,
                                                  const ClassifyContext& ctx) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if ((rules_[i].scopes & classify::kSpecial) && SpecialHolds(rules_[i].special, chain, ctx)) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<size_t> RuleClassifier::TextRule(std::string_view text) const {
  RuleBits bits;
  if (!text_set_.Match(text, &bits)) return std::nullopt;
  return First(bits, classify::kText);
}

Classification RuleClassifier::Decide(std::optional<size_t> rule, std::string root,
                                      std::string evidence) const {
  Classification c;
  if (rule) {
    const Rule& r = rules_[*rule];
    c.cls = r.cls;
    c.confidence = r.confidence;
    c.rule = std::string(r.id);
  }
  c.root_cause = std::move(root);
  c.evidence = std::move(evidence);
  return c;
}

// TaskKilled and ExecutorLostFailure: the reason's rules, then the end kind's fallback.
Classification RuleClassifier::ClassifyReason(const TaskFailure& f, uint8_t scope,
                                              std::string_view reason, std::string root,
                                              std::string evidence) const {
  RuleBits bits;
  std::optional<size_t> rule;
  if (msg_set_.Match(reason, &bits)) rule = First(bits, scope);
  if (!rule) rule = KindRule(f.kind);
  return Decide(rule, std::move(root), std::move(evidence));
}

Classification RuleClassifier::ClassifyExecutorLost(const TaskFailure& f,
                                                    const ClassifyContext& ctx) const {
  std::string reason = f.loss_reason.value_or("");
  if (ctx.executor_remove_reason && *ctx.executor_remove_reason != reason) {
    reason += '\n';
    reason += *ctx.executor_remove_reason;
  }
  std::string evidence =
      f.loss_reason ? fmt::format("loss reason: {}", FirstLine(*f.loss_reason)) : "no loss reason";
  if (ctx.executor_remove_reason) {
    evidence += fmt::format("; removed: {}", FirstLine(*ctx.executor_remove_reason));
  }
  if (std::optional<int> code = ExitCodeOf(reason))
    evidence += fmt::format("; exit code {}", *code);
  evidence += fmt::format("; Exit Caused By App={}", f.exit_caused_by_app ? "true" : "false");
  std::string root(FirstLine(reason));
  if (root.empty()) root = f.ErrorString();
  return ClassifyReason(f, classify::kLossReason, reason, std::move(root), std::move(evidence));
}

Classification RuleClassifier::ClassifyException(const TaskFailure& f,
                                                 const ClassifyContext& ctx) const {
  std::vector<ChainEntry> chain = classify::ChainOf(f);
  std::string root = chain[classify::RootIndex(chain)].Headline();
  std::string evidence = ChainEvidence(chain);
  size_t entry = 0;
  if (std::optional<size_t> r = ExceptionRule(chain, &entry)) {
    evidence += fmt::format("; decided at {}", chain[entry].DisplayClass());
    return Decide(r, std::move(root), std::move(evidence));
  }
  if (std::optional<size_t> r = SpecialRule(chain, ctx)) {
    return Decide(r, std::move(root), std::move(evidence));
  }
  return Decide(TextRule(f.ErrorString()), std::move(root), std::move(evidence));
}

Classification RuleClassifier::ClassifyTask(const TaskFailure& f,
                                            const ClassifyContext& ctx) const {
  switch (f.kind) {
    case TaskEndKind::kExceptionFailure:
      return ClassifyException(f, ctx);
    case TaskEndKind::kExecutorLostFailure:
      return ClassifyExecutorLost(f, ctx);
    case TaskEndKind::kTaskKilled:
      return ClassifyReason(f, classify::kKillReason, f.kill_reason, f.ErrorString(),
                            fmt::format("kill reason: {}", f.kill_reason));
    case TaskEndKind::kFetchFailed: {
      std::vector<ChainEntry> chain = classify::ParseChain(f.message);
      std::string root = chain.empty() ? std::string(FirstLine(f.message))
                                       : chain[classify::RootIndex(chain)].Headline();
      std::string evidence =
          f.has_block_manager
              ? fmt::format("shuffle {} map {} reduce {} from executor {} ({}:{})", f.shuffle_id,
                            f.map_id, f.reduce_id, f.bm_executor_id, f.bm_host, f.bm_port)
              : fmt::format("shuffle {}: map output location missing", f.shuffle_id);
      return Decide(KindRule(f.kind), std::move(root), std::move(evidence));
    }
    case TaskEndKind::kTaskCommitDenied:
    case TaskEndKind::kTaskResultLost:
    case TaskEndKind::kResubmitted:
      return Decide(KindRule(f.kind), f.ErrorString(), TaskEndKindName(f.kind));
    case TaskEndKind::kOther:
      return Decide(TextRule(f.raw_reason), std::string(FirstLine(f.raw_reason)),
                    fmt::format("unknown end reason {}", f.raw_reason));
    case TaskEndKind::kUnknownReason:
    case TaskEndKind::kRunning:
    case TaskEndKind::kSuccess:
      break;
  }
  return Decide(std::nullopt, f.ErrorString(), TaskEndKindName(f.kind));
}

std::string_view RuleClassifier::Unwrap(std::string_view text) const {
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (const auto& re : wrappers_) {
      re2::StringPiece in(text.data(), text.size());
      if (RE2::Consume(&in, *re)) {
        text = std::string_view(in.data(), in.size());
        stripped = true;
      }
    }
  }
  size_t driver = text.find("\nDriver stacktrace:");
  return driver == std::string_view::npos ? text : text.substr(0, driver);
}

// A TaskFailure rebuilt from its toErrorString form, for the end kinds that have one.
std::optional<TaskFailure> FromErrorString(std::string_view t) {
  TaskFailure f;
  if (t.starts_with("FetchFailed(")) {
    f.kind = TaskEndKind::kFetchFailed;
    f.has_block_manager = !t.starts_with("FetchFailed(null");
    size_t m = t.find("message=\n");
    if (m != std::string_view::npos) {
      std::string_view msg = t.substr(m + 9);
      if (msg.ends_with("\n)")) msg.remove_suffix(2);
      f.message = std::string(msg);
    }
  } else if (t.starts_with("ExecutorLostFailure (")) {
    f.kind = TaskEndKind::kExecutorLostFailure;
    f.exit_caused_by_app = t.find("caused by one of the running tasks") != std::string_view::npos;
    size_t r = t.find(") Reason: ");
    if (r != std::string_view::npos) f.loss_reason = std::string(t.substr(r + 10));
  } else if (t.starts_with("TaskKilled (")) {
    f.kind = TaskEndKind::kTaskKilled;
    size_t close = t.rfind(')');
    f.kill_reason = std::string(t.substr(
        12, close == std::string_view::npos || close < 12 ? std::string_view::npos : close - 12));
  } else if (t.starts_with("TaskCommitDenied")) {
    f.kind = TaskEndKind::kTaskCommitDenied;
  } else if (t.starts_with("TaskResultLost")) {
    f.kind = TaskEndKind::kTaskResultLost;
  } else if (t.starts_with("Resubmitted (")) {
    f.kind = TaskEndKind::kResubmitted;
  } else {
    return std::nullopt;
  }
  return f;
}

Classification RuleClassifier::ClassifyFreeText(std::string_view text) const {
  return Decide(TextRule(text), std::string(FirstLine(text)), "free text");
}

Classification RuleClassifier::ClassifyText(std::string_view text) const {
  std::string_view t = Unwrap(text);
  if (std::optional<TaskFailure> f = FromErrorString(t)) return ClassifyTask(*f, {});
  std::vector<ChainEntry> chain = classify::ParseChain(t);
  if (chain.empty()) return ClassifyFreeText(t);
  TaskFailure f;
  f.kind = TaskEndKind::kExceptionFailure;
  f.class_name = chain[0].cls;
  f.description = chain[0].message;
  f.full_stack_trace = std::string(t);
  return ClassifyTask(f, {});
}

// PERF NOTES: most log lines match nothing. The first Set::Match is asked only whether any
// pattern matches, which lets the DFA stop at the first match and allocate nothing; only
// matching lines pay for the second pass that names every rule.
std::vector<std::string_view> RuleClassifier::MatchLogLine(std::string_view line) const {
  std::vector<std::string_view> ids;
  if (!log_set_.Match(line, nullptr)) return ids;
  RuleBits bits;
  log_set_.Match(line, &bits);
  for (size_t i = 0; i < rules_.size() && i < kMaxRules; ++i) {
    if (bits[i]) ids.push_back(rules_[i].id);
  }
  return ids;
}

}  // namespace

std::unique_ptr<Classifier> Classifier::Create() { return std::make_unique<RuleClassifier>(); }

}  // namespace sparkmedic
