// The substrings a line must contain for some executor-log rule of the built-in rule table
// (src/analysis/classify/rules.cc) to match it: the prefilter of the executor-log scanner.
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_RULE_PREFILTER_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_RULE_PREFILTER_H_

#include <optional>
#include <string>
#include <vector>

namespace sparkmedic::exlogs {

// Lower-case atoms such that every line that some `log` rule's one-line pattern matches
// contains at least one of them, ignoring case. nullopt when some rule has no such atoms (its
// pattern can match lines without any literal of 3+ bytes): then no line may be skipped.
// Computed from the patterns with RE2's prefilter (re2/filtered_re2.h), so a new or changed
// rule is covered without touching this module. Deterministic; costs a few milliseconds.
std::optional<std::vector<std::string>> LogRuleTriggerAtoms();

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_RULE_PREFILTER_H_
