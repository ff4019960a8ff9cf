// Task attempts named in executor-log lines.
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_TASK_MENTIONS_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_TASK_MENTIONS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sparkmedic::exlogs {

struct TaskMention {
  enum Kind : uint8_t { kOther, kException, kKilled };
  int64_t tid = -1;
  int32_t stage_id = -1, stage_attempt = -1, index = -1, attempt = -1;
  Kind kind = kOther;
};

// The task attempts `line` names, at most `max` into out[]; returns how many. Recognised:
// "task <index>.<attempt> in stage <stage>.<attempt> (TID <tid>)" (Running / Finished /
// Exception in / killed / thread names), "(TID <tid>)" alone, and "Got assigned task <tid>".
// kException for "Exception in task ...", kKilled for "killed task ..." (Executor.scala).
size_t FindTaskMentions(std::string_view line, TaskMention* out, size_t max);

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_TASK_MENTIONS_H_
