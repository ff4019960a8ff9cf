// Test helper: re-reads a generated event log with simdjson, independently of the
// generator's own counters, so manifest values can be checked against the text.
#ifndef SPARKMEDIC_TESTS_UNIT_GEN_RECOUNT_H_
#define SPARKMEDIC_TESTS_UNIT_GEN_RECOUNT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

namespace sparkmedic::gen::testing {

// Calls `fn` for every complete JSON line of `text` (a trailing line without '\n' is
// reported through `*partial` instead when it is not valid JSON). Returns the number of
// lines that failed to parse or had no "Event" string.
size_t ForEachEvent(std::string_view text,
                    const std::function<void(simdjson::dom::element, std::string_view)>& fn,
                    std::string* partial = nullptr);

struct Recount {
  uint64_t lines = 0;
  std::map<std::string, uint64_t> events;
  std::map<std::string, uint64_t> reasons;
  std::map<std::string, uint64_t> exception_classes;
  std::map<std::string, uint64_t> kill_reasons;
  std::map<std::pair<int, int>, uint64_t> partition_failed;  // Task Info.Failed == true
  std::set<int64_t> task_ids_started;
  uint64_t task_ends = 0, speculative = 0;
  uint64_t shs_completed = 0, shs_failed = 0, shs_killed = 0;
  uint64_t lost_by_app = 0, lost_not_by_app = 0;
  uint64_t jobs = 0, jobs_ok = 0, jobs_failed = 0;
  std::set<int64_t> stage_ids, submitted_ids, retried_ids;
  uint64_t stage_attempts = 0, stage_failed_attempts = 0;
  uint64_t sql_starts = 0, executors_added = 0, executors_removed = 0;
  uint64_t queries_started = 0, progress = 0, terminated = 0, terminated_with_exception = 0;
  uint64_t bad_lines = 0;
};

Recount CountLog(std::string_view text);

}  // namespace sparkmedic::gen::testing

#endif  // SPARKMEDIC_TESTS_UNIT_GEN_RECOUNT_H_
