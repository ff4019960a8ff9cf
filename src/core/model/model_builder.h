// ModelBuilder: applies typed events, in log order, to an Application.
//
// The rules follow Spark's own AppStatusListener where the REST API depends on them (stage
// status, skipped stages at job end, job names) and TaskSetManager where diagnosis does
// (a Resubmitted end is a second record for an already-finished task id).
#ifndef SPARKMEDIC_CORE_MODEL_MODEL_BUILDER_H_
#define SPARKMEDIC_CORE_MODEL_MODEL_BUILDER_H_

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "sparkmedic/diagnostics.h"
#include "sparkmedic/events.h"
#include "sparkmedic/model.h"

#include "core/model/storage_tracker.h"

namespace sparkmedic {

// Counts kept while applying events, for `info` and read statistics.
struct ApplyCounters {
  uint64_t events = 0;          // events applied (known, modelled)
  uint64_t ignored_events = 0;  // known events the model does not use
  uint64_t unknown_events = 0;
};

// Not thread-safe. `app` and `sink` must outlive the builder.
class ModelBuilder {
 public:
  ModelBuilder(Application* app, DiagnosticSink* sink) : app_(app), sink_(sink) {}

  // The file whose events follow (for diagnostics).
  void SetPath(std::string path) { path_ = std::move(path); }

  // Applies one event; moves what it keeps out of `ev`.
  void Apply(Event& ev);

  // Derives what needs the whole log: job names and stage lists, skipped stages, streaming
  // query modes. Call once after the last event.
  void Finish();

  const ApplyCounters& counters() const { return counters_; }

 private:
  struct Visitor;
  StageAttempt& StageFor(int32_t stage_id, int32_t attempt);
  void ApplyStageInfo(StageInfoData& si, StageAttempt* st);
  void NoteTime(TimeMs t) {
    if (t > app_->last_event_time) app_->last_event_time = t;
  }
  void Inconsistent(const Event& ev, std::string message);
  Executor& ExecutorFor(const std::string& id);
  void FillTask(TaskAttempt* t, const TaskInfoData& info);

  Application* app_;
  DiagnosticSink* sink_;
  std::string path_;
  ApplyCounters counters_;
  std::unordered_map<int64_t, uint32_t> running_;  // task id → index of its running attempt
  std::set<std::tuple<int, std::string, TimeMs, int32_t, int32_t>> exclusion_keys_;
  std::unordered_map<std::string, int> query_jobs_;  // streaming query id → jobs seen
  StorageTracker storage_;  // block storage (BlockUpdated), as AppStatusListener keeps it
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CORE_MODEL_MODEL_BUILDER_H_
