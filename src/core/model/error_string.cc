// ParseTaskErrorString: a task end back from Spark's TaskEndReason.toErrorString text.
//
// The forms (Spark 2.4 to 4.x, TaskEndReason.scala; TaskFailure::ErrorString writes them):
//   FetchFailed(BlockManagerId(E, H, P, T) | null, shuffleId=S, [mapIndex=I, ]mapId=M,
//               reduceId=R, message=\n<message>\n)
//   ExecutorLostFailure (executor E exited caused by one of the running tasks |
//                        unrelated to the running tasks)[ Reason: <reason>]
//   TaskCommitDenied (Driver denied task commit) for job: J, partition: P, attemptNumber: A
//   TaskKilled (<reason>)           TaskResultLost (result lost from block manager)
//   Resubmitted (resubmitted due to lost executor)                    UnknownReason
//   anything else: an ExceptionFailure's full stack trace.
#include <charconv>
#include <string>
#include <string_view>

#include "sparkmedic/model.h"

namespace sparkmedic {
namespace {

bool Consume(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

template <typename Int>
bool ConsumeInt(std::string_view* s, Int* out) {
  auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), *out);
  if (ec != std::errc()) return false;
  s->remove_prefix(static_cast<size_t>(ptr - s->data()));
  return true;
}

// "key=N, " (or the last "key=N" before `end`).
template <typename Int>
bool ConsumeField(std::string_view* s, std::string_view key, Int* out) {
  return Consume(s, key) && Consume(s, "=") && ConsumeInt(s, out);
}

bool ParseFetchFailed(std::string_view s, TaskFailure* f) {
  if (!Consume(&s, "FetchFailed(")) return false;
  if (Consume(&s, "null")) {
    f->has_block_manager = false;
  } else {
    // BlockManagerId(executorId, host, port, topologyInfo): ids and hosts hold no ", ".
    if (!Consume(&s, "BlockManagerId(")) return false;
    size_t a = s.find(", ");
    if (a == std::string_view::npos) return false;
    f->bm_executor_id = std::string(s.substr(0, a));
    s.remove_prefix(a + 2);
    size_t b = s.find(", ");
    if (b == std::string_view::npos) return false;
    f->bm_host = std::string(s.substr(0, b));
    s.remove_prefix(b + 2);
    if (!ConsumeInt(&s, &f->bm_port)) return false;
    size_t close = s.find(')');
    if (close == std::string_view::npos) return false;
    s.remove_prefix(close + 1);
    f->has_block_manager = true;
  }
  if (!Consume(&s, ", ") || !ConsumeField(&s, "shuffleId", &f->shuffle_id) || !Consume(&s, ", "))
    return false;
  if (s.substr(0, 9) == "mapIndex=") {
    int32_t map_index = 0;
    if (!ConsumeField(&s, "mapIndex", &map_index) || !Consume(&s, ", ")) return false;
    f->map_index = map_index;
  }
  if (!ConsumeField(&s, "mapId", &f->map_id) || !Consume(&s, ", ") ||
      !ConsumeField(&s, "reduceId", &f->reduce_id) || !Consume(&s, ", message=\n")) {
    return false;
  }
  if (s.size() < 2 || s.substr(s.size() - 2) != "\n)") return false;
  f->message = std::string(s.substr(0, s.size() - 2));
  f->kind = TaskEndKind::kFetchFailed;
  return true;
}

bool ParseExecutorLost(std::string_view s, TaskFailure* f) {
  if (!Consume(&s, "ExecutorLostFailure (executor ")) return false;
  size_t sp = s.find(" exited ");
  if (sp == std::string_view::npos) return false;
  f->lost_executor_id = std::string(s.substr(0, sp));
  s.remove_prefix(sp + 8);
  if (Consume(&s, "caused by one of the running tasks)")) {
    f->exit_caused_by_app = true;
  } else if (Consume(&s, "unrelated to the running tasks)")) {
    f->exit_caused_by_app = false;
  } else {
    return false;
  }
  if (Consume(&s, " Reason: ")) {
    f->loss_reason = std::string(s);
  } else if (!s.empty()) {
    return false;
  }
  f->kind = TaskEndKind::kExecutorLostFailure;
  return true;
}

bool ParseCommitDenied(std::string_view s, TaskFailure* f) {
  if (!Consume(&s, "TaskCommitDenied (Driver denied task commit) for job: ") ||
      !ConsumeInt(&s, &f->commit_job_id) || !Consume(&s, ", partition: ") ||
      !ConsumeInt(&s, &f->commit_partition_id) || !Consume(&s, ", attemptNumber: ") ||
      !ConsumeInt(&s, &f->commit_attempt_number) || !s.empty()) {
    return false;
  }
  f->kind = TaskEndKind::kTaskCommitDenied;
  return true;
}

void ParseException(std::string_view s, TaskFailure* f) {
  f->kind = TaskEndKind::kExceptionFailure;
  f->full_stack_trace = std::string(s);
  // Throwable.toString: "Class: message", or just "Class" when the message is null. The
  // message may span lines; the frames start at the first "\n\tat " (or, for logs without a
  // full stack trace, at the first line indented by eight spaces).
  size_t first_nl = s.find('\n');
  std::string_view first = s.substr(0, first_nl);
  size_t colon = first.find(": ");
  std::string_view cls = colon == std::string_view::npos ? first : first.substr(0, colon);
  bool looks_like_class = !cls.empty() && cls.find(' ') == std::string_view::npos;
  if (!looks_like_class) {
    f->description = std::string(s);
    return;
  }
  f->class_name = std::string(cls);
  if (colon == std::string_view::npos) return;
  std::string_view rest = s.substr(colon + 2);
  size_t end = rest.find("\n\tat ");
  size_t end2 = rest.find("\n        ");
  if (end2 < end) end = end2;
  f->description = std::string(rest.substr(0, end));
}

}  // namespace

TaskFailure ParseTaskErrorString(std::string_view text, bool killed) {
  TaskFailure f;
  if (ParseCommitDenied(text, &f)) return f;
  if (killed) {
    f.kind = TaskEndKind::kTaskKilled;
    f.kill_reason = std::string(text);
    return f;
  }
  if (text.substr(0, 12) == "FetchFailed(") {
    TaskFailure ff;
    if (ParseFetchFailed(text, &ff)) return ff;
  }
  if (ParseExecutorLost(text, &f)) return f;
  f = TaskFailure();
  if (text == "TaskResultLost (result lost from block manager)") {
    f.kind = TaskEndKind::kTaskResultLost;
    return f;
  }
  if (text == "Resubmitted (resubmitted due to lost executor)") {
    f.kind = TaskEndKind::kResubmitted;
    return f;
  }
  if (text == "UnknownReason") {
    f.kind = TaskEndKind::kUnknownReason;
    return f;
  }
  std::string_view k = text;
  if (Consume(&k, "TaskKilled (") && !k.empty() && k.back() == ')') {
    f.kind = TaskEndKind::kTaskKilled;
    f.kill_reason = std::string(k.substr(0, k.size() - 1));
    return f;
  }
  ParseException(text, &f);
  return f;
}

}  // namespace sparkmedic
