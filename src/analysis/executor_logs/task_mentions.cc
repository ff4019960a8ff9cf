#include "task_mentions.h"

namespace sparkmedic::exlogs {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses the digits that start *s (at most 18) and consumes them; -1 when there are none.
int64_t TakeNumber(std::string_view* s) {
  size_t n = 0;
  int64_t v = 0;
  while (n < s->size() && n < 18 && IsDigit((*s)[n])) v = v * 10 + ((*s)[n++] - '0');
  if (n == 0 || (n < s->size() && IsDigit((*s)[n]))) return -1;
  s->remove_prefix(n);
  return v;
}

// Parses the digits that end *s (at most 9) and removes them; -1 when there are none.
int32_t TakeNumberBack(std::string_view* s) {
  size_t n = 0;
  while (n < s->size() && n < 9 && IsDigit((*s)[s->size() - 1 - n])) ++n;
  if (n == 0 || (n < s->size() && IsDigit((*s)[s->size() - 1 - n]))) return -1;
  int32_t v = 0;
  for (size_t i = s->size() - n; i < s->size(); ++i) v = v * 10 + ((*s)[i] - '0');
  s->remove_suffix(n);
  return v;
}

bool TakeBack(std::string_view* s, std::string_view suffix) {
  if (!s->ends_with(suffix)) return false;
  s->remove_suffix(suffix.size());
  return true;
}

// "<a>.<b>" at the end of *s.
bool TakePairBack(std::string_view* s, int32_t* a, int32_t* b) {
  std::string_view t = *s;
  int32_t second = TakeNumberBack(&t);
  if (second < 0 || !TakeBack(&t, ".")) return false;
  int32_t first = TakeNumberBack(&t);
  if (first < 0) return false;
  *a = first;
  *b = second;
  *s = t;
  return true;
}

// Fills the stage and kind of `m` from the text before "(TID": "... task 3.0 in stage 2.0 ".
void ParseBefore(std::string_view before, TaskMention* m) {
  if (!TakeBack(&before, " ")) return;
  int32_t stage = -1, stage_attempt = -1, index = -1, attempt = -1;
  if (!TakePairBack(&before, &stage, &stage_attempt) || !TakeBack(&before, " in stage ") ||
      !TakePairBack(&before, &index, &attempt) || !TakeBack(&before, "task ")) {
    return;
  }
  m->stage_id = stage;
  m->stage_attempt = stage_attempt;
  m->index = index;
  m->attempt = attempt;
  if (before.ends_with("Exception in ")) m->kind = TaskMention::kException;
  if (before.ends_with("killed ")) m->kind = TaskMention::kKilled;
}

}  // namespace

size_t FindTaskMentions(std::string_view line, TaskMention* out, size_t max) {
  size_t n = 0;
  for (size_t at = line.find("(TID "); at != std::string_view::npos && n < max;
       at = line.find("(TID ", at + 5)) {
    std::string_view rest = line.substr(at + 5);
    int64_t tid = TakeNumber(&rest);
    if (tid < 0 || !rest.starts_with(")")) continue;
    TaskMention m;
    m.tid = tid;
    ParseBefore(line.substr(0, at), &m);
    out[n++] = m;
  }
  constexpr std::string_view kAssigned = "Got assigned task ";
  size_t at = line.find(kAssigned);
  if (at != std::string_view::npos && n < max) {
    std::string_view rest = line.substr(at + kAssigned.size());
    int64_t tid = TakeNumber(&rest);
    if (tid >= 0) {
      TaskMention m;
      m.tid = tid;
      out[n++] = m;
    }
  }
  return n;
}

}  // namespace sparkmedic::exlogs
