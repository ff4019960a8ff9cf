// The failure-classification rule table (rules.cc), documented row by row in
// docs/failure-classes.md.
//
// A rule says: "when this condition holds, the failure is of class C, with confidence K". The
// engine (classifier.cc) evaluates the rules in stages, in this order, and the first rule that
// matches in the earliest stage decides:
//
//   1. kKillReason / kLossReason: the TaskKilled kill reason, or the ExecutorLostFailure loss
//      reason plus the executor's ExecutorRemoved reason, searched with `text_re`;
//   2. kEndKind: the end kind alone (FetchFailed, TaskCommitDenied, ...), and the fallback for
//      kinds whose reasons matched nothing in stage 1;
//   3. kException: every exception of the "Caused by:" chain; first the `dominant` rules
//      anywhere in the chain (outermost first), then all rules from the deepest cause outward.
//      `class_re` must match the whole class name and `text_re` must be found in that
//      exception's message (both, when both are given);
//   4. kSpecial: conditions written in code (application packages and frames);
//   5. kText: the whole failure text (class_re and text_re found on one line), for whatever
//      the structure did not decide and for free text.
// Within a stage, table order is precedence.
//
// `log` rules are also matched against executor-log lines (Classifier::MatchLogLine) with the
// same one-line search pattern as kText.
#ifndef SPARKMEDIC_ANALYSIS_CLASSIFY_RULES_H_
#define SPARKMEDIC_ANALYSIS_CLASSIFY_RULES_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "sparkmedic/classify.h"
#include "sparkmedic/model.h"

namespace sparkmedic::classify {

// Where a rule applies: a bit set.
enum Scope : uint8_t {
  kEndKind = 1 << 0,     // the end kind `kind` alone
  kKillReason = 1 << 1,  // TaskKilled: `text_re` in the kill reason
  kLossReason = 1 << 2,  // ExecutorLostFailure / ExecutorRemoved: `text_re` in the reason
  kException = 1 << 3,   // one exception of the chain: `class_re` and/or `text_re`
  kSpecial = 1 << 4,     // the code condition `special`
  kText = 1 << 5,        // the whole text: `class_re` and/or `text_re` on one line
};

// Conditions that a regular expression cannot state.
enum class Special : uint8_t {
  kNone,
  // An exception of the chain whose class is in ClassifyContext::app_packages.
  kAppPackageException,
  // No app_packages given: an exception whose class is outside the framework packages
  // (IsFrameworkClass in exception_chain.h).
  kNonFrameworkException,
  // The root cause was thrown by an application frame (its first own frame).
  kThrownInAppCode,
};

struct Rule {
  std::string_view id;  // stable, lower-case, used in reports and docs
  FailureClass cls = FailureClass::kUnknown;
  Confidence confidence = Confidence::kLow;
  uint8_t scopes = 0;
  TaskEndKind kind = TaskEndKind::kOther;  // kEndKind only
  std::string_view class_re;               // RE2, matched against a whole class name; empty = any
  std::string_view text_re;                // RE2, searched for; empty = any
  bool icase = false;                      // text_re ignores case
  bool dominant = false;                   // kException: decides wherever it sits in the chain
  bool log = false;                        // also an executor-log-line rule
  Special special = Special::kNone;
};

// Every rule, in precedence order. Static storage: views into it stay valid.
std::span<const Rule> Rules();

}  // namespace sparkmedic::classify

#endif  // SPARKMEDIC_ANALYSIS_CLASSIFY_RULES_H_
