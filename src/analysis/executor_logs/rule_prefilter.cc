// How the cover is found. RE2's prefilter (FilteredRE2) reduces a regular expression to an
// AND/OR formula over lower-case literals ("atoms") that every match satisfies; it hands out
// the atoms and, given the atoms present in a text, says whether the formula holds
// (AllPotentials), but not the formula itself. A set C of atoms "covers" a pattern when the
// formula is false for the atoms outside C: then any match contains an atom of C. All atoms
// cover (a match satisfies the formula, which needs some atom, unless the pattern is
// unfiltered). Starting from all of them, atoms are dropped greedily while the rest still
// covers, the atoms most common in ordinary executor INFO lines (then the shortest) first, so
// that e.g. `exit(?:ed with)? (?:code|status)\s*137` is covered by "exit" rather than by
// "code" (every CodeGenerator line) and `time[ds]?[ -]?out` by "time" rather than "out".
#include "rule_prefilter.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string_view>

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include "../classify/rules.h"

namespace sparkmedic::exlogs {
namespace {

// Lines every executor prints many times (Spark 2.4-4.x), lower-cased: atoms found here are
// dropped first.
constexpr std::string_view kOrdinaryLines[] = {
    "24/06/01 10:00:01 info executor: running task 3.0 in stage 2.0 (tid 17)",
    "24/06/01 10:00:01 info executor: finished task 3.0 in stage 2.0 (tid 17). 2544 bytes "
    "result sent to driver",
    "24/06/01 10:00:01 info coarsegrainedexecutorbackend: got assigned task 17",
    "24/06/01 10:00:01 info torrentbroadcast: started reading broadcast variable 4 with 1 pieces "
    "(estimated total size 4.0 mib)",
    "24/06/01 10:00:01 info torrentbroadcast: reading broadcast variable 4 took 12 ms",
    "24/06/01 10:00:01 info memorystore: block broadcast_4_piece0 stored as bytes in memory "
    "(estimated size 7.2 kib, free 2.1 gib)",
    "24/06/01 10:00:01 info codegenerator: code generated in 12.345678 ms",
    "24/06/01 10:00:01 info shuffleblockfetcheriterator: getting 200 (12.3 mib) non-empty blocks "
    "including 40 (2.1 mib) local and 0 (0.0 b) host-local and 0 (0.0 b) push-merged-local and "
    "160 (10.2 mib) remote blocks",
    "24/06/01 10:00:01 info shuffleblockfetcheriterator: started 3 remote fetches in 5 ms",
    "24/06/01 10:00:01 info mapoutputtrackerworker: don't have map outputs for shuffle 1, "
    "fetching them",
    "24/06/01 10:00:01 info mapoutputtrackerworker: got the map output locations",
    "24/06/01 10:00:01 info filescanrdd: reading file path: s3a://lake/events/part-00042.parquet, "
    "range: 0-134217728, partition values: [empty row]",
    "24/06/01 10:00:01 info unsafeexternalsorter: thread 73 spilling sort data of 1024.0 mib to "
    "disk (0  time so far)",
    "24/06/01 10:00:01 info sparkhadoopmapredutil: no need to commit output of task because "
    "needscommit=false: attempt_202406011000_0002_m_000003_17",
    "24/06/01 10:00:01 info pythonrunner: times: total = 45, boot = 3, init = 40, finish = 2",
    "24/06/01 10:00:01 info blockmanager: removing rdd 12",
    "\tat org.apache.spark.scheduler.resulttask.runtask(resulttask.scala:93)",
    "\tat java.base/java.util.concurrent.threadpoolexecutor.runworker("
    "threadpoolexecutor.java:1136)",
    "\tat io.netty.channel.abstractchannelhandlercontext.invokechannelread("
    "abstractchannelhandlercontext.java:444)",
};

size_t Commonness(const std::string& atom) {
  return static_cast<size_t>(std::count_if(
      std::begin(kOrdinaryLines), std::end(kOrdinaryLines),
      [&](std::string_view line) { return line.find(atom) != std::string_view::npos; }));
}

// The rule's one-line search pattern, as Classifier::MatchLogLine matches it: the class name,
// then (on the same line) the text.
std::string SearchPattern(const classify::Rule& r) {
  std::string text;
  if (!r.text_re.empty()) {
    text = std::string(r.icase ? "(?i:" : "(?:") + std::string(r.text_re) + ")";
  }
  if (r.class_re.empty()) return text;
  std::string cls = "(?:" + std::string(r.class_re) + ")";
  return text.empty() ? cls : cls + "[^\\n]*" + text;
}

// The atoms of `pattern` that cover it (see the file comment); nullopt when it is unfiltered.
// Atoms in `shared` (already in other patterns' covers, so free) are kept in preference.
std::optional<std::vector<std::string>> Cover(const std::string& pattern,
                                              const std::set<std::string>& shared) {
  RE2::Options o;
  o.set_log_errors(false);
  re2::FilteredRE2 f(/*min_atom_len=*/3);
  int id = 0;
  if (f.Add(pattern, o, &id) != RE2::NoError) return std::nullopt;
  std::vector<std::string> atoms;
  f.Compile(&atoms);
  auto covers = [&](const std::vector<bool>& in) {  // formula false on the atoms outside `in`
    std::vector<int> outside, hits;
    for (size_t i = 0; i < atoms.size(); ++i) {
      if (!in[i]) outside.push_back(static_cast<int>(i));
    }
    f.AllPotentials(outside, &hits);
    return hits.empty();
  };
  std::vector<bool> in(atoms.size(), true);
  if (atoms.empty() || !covers(in)) return std::nullopt;
  std::vector<size_t> order(atoms.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<size_t> common(atoms.size());
  for (size_t i = 0; i < atoms.size(); ++i) common[i] = Commonness(atoms[i]);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    bool sa = shared.count(atoms[a]) != 0, sb = shared.count(atoms[b]) != 0;
    if (sa != sb) return sb;  // drop the unshared first
    if (common[a] != common[b]) return common[a] > common[b];
    return atoms[a].size() < atoms[b].size();
  });
  for (size_t i : order) {
    in[i] = false;
    if (!covers(in)) in[i] = true;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < atoms.size(); ++i) {
    if (in[i]) out.push_back(atoms[i]);
  }
  return out;
}

}  // namespace

// Two rounds: each pattern alone, then each again preferring the atoms the other patterns'
// first-round covers need anyway (e.g. gpu-oom-message's `\bGpuOOM\b` is covered by "oom",
// which oom-text needs, rather than by "gpu").
std::optional<std::vector<std::string>> LogRuleTriggerAtoms() {
  std::vector<std::string> patterns;
  for (const classify::Rule& r : classify::Rules()) {
    if (r.log && (!r.class_re.empty() || !r.text_re.empty())) patterns.push_back(SearchPattern(r));
  }
  std::vector<std::vector<std::string>> first;
  std::map<std::string, int> uses;
  for (const std::string& p : patterns) {
    std::optional<std::vector<std::string>> cover = Cover(p, {});
    if (!cover) return std::nullopt;
    for (const std::string& a : *cover) ++uses[a];
    first.push_back(std::move(*cover));
  }
  std::vector<std::string> all;
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::set<std::string> shared;
    for (const auto& [atom, n] : uses) {
      bool mine = std::find(first[i].begin(), first[i].end(), atom) != first[i].end();
      if (n > (mine ? 1 : 0)) shared.insert(atom);
    }
    std::optional<std::vector<std::string>> cover = Cover(patterns[i], shared);
    if (!cover) return std::nullopt;
    all.insert(all.end(), cover->begin(), cover->end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace sparkmedic::exlogs
