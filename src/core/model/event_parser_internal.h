// Internal to EventParser: what the dispatch on "Event" (event_parser.cc) shares with the
// routines that read each family of events: event_parser_tasks.cc (tasks, stages and jobs) and
// event_parser_app.cc (application, environment, executors, block managers, exclusions, SQL and
// streaming). Not part of the public API, hence here and not under include/.
//
// PERF NOTES: Walker's readers run for every field of every line. They are defined in the
// class, in this header, so that each family's file inlines them as the single file did.
#ifndef SPARKMEDIC_CORE_MODEL_EVENT_PARSER_INTERNAL_H_
#define SPARKMEDIC_CORE_MODEL_EVENT_PARSER_INTERNAL_H_

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "core/model/event_parser.h"

namespace sparkmedic::event_parser_internal {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// The raw text of a key (between the quotes); Spark's keys have no escapes.
inline std::string_view RawKey(od::field& f) {
  const char* p = f.key().raw();
  const char* q = p;
  while (*q != '"') {
    if (*q == '\\') ++q;  // never in Spark keys; stay safe anyway
    ++q;
  }
  return std::string_view(p, static_cast<size_t>(q - p));
}

// Reads values into typed fields. The first failure is kept in *error, and a missing field
// the model needs is told apart from malformed JSON (ParseOutcome::kMissingField).
class Walker {
 public:
  explicit Walker(std::string* error) : error_(error) {}

  bool Fail(std::string_view where, error_code e) {
    if (error_->empty()) *error_ = fmt::format("{}: {}", where, simdjson::error_message(e));
    return false;
  }
  bool Missing(std::string_view what) {
    missing_ = true;
    if (error_->empty()) *error_ = fmt::format("missing field \"{}\"", what);
    return false;
  }
  bool missing() const { return missing_; }

  // Reads an integer; accepts floating-point numbers (truncated) and numeric strings, which
  // some writers produce.
  bool Int(od::value v, int64_t* out, std::string_view where) {
    int64_t i;
    error_code e = v.get_int64().get(i);
    if (!e) {
      *out = i;
      return true;
    }
    double d;
    if (!v.get_double().get(d)) {
      // Outside int64's range (converting would be undefined; fuzz_event_log found 1.4e23):
      // no count, size or time Spark writes, so the line is malformed.
      if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
        return Fail(where, simdjson::NUMBER_OUT_OF_RANGE);
      }
      *out = static_cast<int64_t>(d);
      return true;
    }
    uint64_t u;
    if (!v.get_uint64().get(u)) {
      *out = static_cast<int64_t>(u);
      return true;
    }
    std::string_view s;
    if (!v.get_string().get(s)) {
      auto r = std::from_chars(s.data(), s.data() + s.size(), i);
      if (r.ec == std::errc()) {
        *out = i;
        return true;
      }
    }
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) return true;  // keep the default
    return Fail(where, e);
  }
  bool Int32(od::value v, int32_t* out, std::string_view where) {
    int64_t i = *out;
    if (!Int(v, &i, where)) return false;
    *out = static_cast<int32_t>(i);
    return true;
  }
  bool U32(od::value v, uint32_t* out, std::string_view where) {
    int64_t i = *out;
    if (!Int(v, &i, where)) return false;
    *out = static_cast<uint32_t>(i < 0 ? 0 : (i > 0xFFFFFFFFLL ? 0xFFFFFFFFLL : i));
    return true;
  }
  bool Bool(od::value v, bool* out, std::string_view where) {
    error_code e = v.get_bool().get(*out);
    if (!e) return true;
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) return true;
    return Fail(where, e);
  }
  // A string; JSON null gives nullopt.
  // Looks `key` up in `o`, in any order. True when the field is there (*found) or absent;
  // false, with the error recorded, when the JSON around it is broken: simdjson abandons its
  // iterator then, and reading on would touch a dead document (fuzz_event_log found one).
  // One lookup per object only: a second one may wrap around to the object's start, which
  // simdjson allows only on JSON it has validated (it assumes, and a broken line is UB). To
  // read several fields, walk the object once.
  bool FindField(od::object& o, std::string_view key, od::value* out, bool* found,
                 std::string_view where) {
    error_code e = o.find_field_unordered(key).get(*out);
    *found = e == simdjson::SUCCESS;
    if (e == simdjson::SUCCESS || e == simdjson::NO_SUCH_FIELD) return true;
    return Fail(where, e);
  }

  bool OptStr(od::value v, std::optional<std::string>* out, std::string_view where) {
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) {
      out->reset();
      return true;
    }
    std::string_view s;
    error_code e = v.get_string().get(s);
    if (e) {
      // Numbers or other scalars where a string is expected: keep their text.
      std::string_view raw = v.raw_json_token();
      *out = std::string(TrimRight(raw));
      return true;
    }
    *out = std::string(s);
    return true;
  }
  bool Str(od::value v, std::string* out, std::string_view where) {
    std::optional<std::string> o;
    if (!OptStr(v, &o, where)) return false;
    *out = o ? std::move(*o) : std::string();
    return true;
  }
  bool View(od::value v, std::string_view* out, Arena* arena, std::string_view where) {
    std::string_view s;
    error_code e = v.get_string().get(s);
    if (e) {
      bool is_null = false;
      if (!v.is_null().get(is_null) && is_null) {
        *out = {};
        return true;
      }
      return Fail(where, e);
    }
    *out = arena->Copy(s);
    return true;
  }
  // A JSON object of string → scalar.
  bool StringMap(od::value v, std::vector<std::pair<std::string, std::string>>* out,
                 std::string_view where) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) {
      bool is_null = false;
      if (!v.is_null().get(is_null) && is_null) return true;
      return Fail(where, e);
    }
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail(where, e);
      std::string_view k;
      if (auto e = f.unescaped_key().get(k)) return Fail(where, e);
      std::string key(k);
      std::string val;
      if (!Str(f.value(), &val, where)) return false;
      out->emplace_back(std::move(key), std::move(val));
    }
    return true;
  }
  bool IntArray(od::value v, std::vector<int32_t>* out, std::string_view where) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return Fail(where, e);
    for (auto er : arr) {
      od::value ev;
      if (auto e = std::move(er).get(ev)) return Fail(where, e);
      int32_t x = 0;
      if (!Int32(ev, &x, where)) return false;
      out->push_back(x);
    }
    return true;
  }
  // The raw text of a scalar (for accumulable values), strings unescaped.
  bool ScalarText(od::value v, std::string* out, std::string_view where) {
    od::json_type t;
    if (auto e = v.type().get(t)) return Fail(where, e);
    if (t == od::json_type::string) return Str(v, out, where);
    std::string_view raw = v.raw_json_token();
    *out = std::string(TrimRight(raw));
    return true;
  }

  static std::string_view TrimRight(std::string_view s) {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t' ||
            s.back() == ',' || s.back() == '}' || s.back() == ']')) {
      s.remove_suffix(1);
    }
    return s;
  }

  // Walks every field of `obj` once, calling fn(key, value) → bool (false stops the walk as a
  // failure). One pass is also the safe way to read several fields: a second
  // find_field_unordered may wrap around a broken object (see FindField).
  template <typename Fn>
  bool Fields(od::object& obj, std::string_view where, Fn&& fn) {
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail(where, e);
      if (!fn(RawKey(f), f.value())) return false;
    }
    return true;
  }
  // Fields of the value `v`, which must be an object.
  template <typename Fn>
  bool Fields(od::value v, std::string_view where, Fn&& fn) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail(where, e);
    return Fields(obj, where, std::forward<Fn>(fn));
  }

  // A "Storage Level" object (JsonProtocol.storageLevelFromJson; "Use Off Heap" is absent
  // before Spark 3.4).
  bool Level(od::value v, StorageLevel* out, std::string_view where) {
    return Fields(v, where, [&](std::string_view k, od::value fv) {
      if (k == "Use Disk") return Bool(fv, &out->use_disk, k);
      if (k == "Use Memory") return Bool(fv, &out->use_memory, k);
      if (k == "Use Off Heap") return Bool(fv, &out->use_off_heap, k);
      if (k == "Deserialized") return Bool(fv, &out->deserialized, k);
      if (k == "Replication") return Int32(fv, &out->replication, k);
      return true;
    });
  }

  // Walks every field of the line's top-level object `obj` but "Event", calling
  // fn(key, value) → bool.
  template <typename Fn>
  bool Each(od::object& obj, Fn&& fn) {
    return Fields(obj, "invalid JSON",
                  [&](std::string_view k, od::value v) { return k == "Event" || fn(k, v); });
  }
  // The outcome of an event's routine, from whether it succeeded.
  ParseOutcome Finish(bool ok) const {
    if (ok) return ParseOutcome::kOk;
    return missing() ? ParseOutcome::kMissingField : ParseOutcome::kMalformed;
  }

 private:
  std::string* error_;
  bool missing_ = false;
};

// The events EventParser::Parse dispatches on (event_parser.cc classifies the simple name).
enum class Kind {
  kIgnored,
  kUnknown,
  kLogStart,
  kAppStart,
  kAppEnd,
  kEnv,
  kResourceProfile,
  kExecAdded,
  kExecRemoved,
  kBmAdded,
  kBmRemoved,
  kJobStart,
  kJobEnd,
  kStageSubmitted,
  kStageCompleted,
  kTaskStart,
  kTaskGettingResult,
  kTaskEnd,
  kExclusion,
  kSqlStart,
  kSqlPlanUpdate,
  kSqlEnd,
  kQueryStarted,
  kQueryProgress,
  kQueryTerminated,
  kBlockUpdated,
  kUnpersistRdd
};

// One line, as EventParser::Parse hands it to the routine of its event.
struct EventLine {
  od::object& obj;  // the top-level object, reset to its first field
  Arena* arena;     // for strings that must outlive the line (see EventParser::Parse)
  EventPayload* out;
  std::string* error;
  bool keep_task_accumulables;
  bool keep_executor_metrics;
};

// The routine of each event: reads `line` into *line.out, or says why it could not (the
// Walker of the routine writes *line.error).

// event_parser_tasks.cc
ParseOutcome ParseTaskEnd(const EventLine& line);
ParseOutcome ParseTaskStart(const EventLine& line, Kind kind);  // also kTaskGettingResult
ParseOutcome ParseStage(const EventLine& line, Kind kind);      // kStageSubmitted, kStageCompleted
ParseOutcome ParseStageExecutorMetrics(const EventLine& line);
ParseOutcome ParseJobStart(const EventLine& line);
ParseOutcome ParseJobEnd(const EventLine& line);

// event_parser_app.cc
ParseOutcome ParseLogStart(const EventLine& line);
ParseOutcome ParseAppStart(const EventLine& line);
ParseOutcome ParseAppEnd(const EventLine& line);
ParseOutcome ParseEnvUpdate(const EventLine& line);
ParseOutcome ParseResourceProfile(const EventLine& line);
ParseOutcome ParseExecutorAdded(const EventLine& line);
ParseOutcome ParseExecutorRemoved(const EventLine& line);
ParseOutcome ParseBlockManager(const EventLine& line, Kind kind);  // kBmAdded, kBmRemoved
ParseOutcome ParseExclusion(const EventLine& line, ExclusionKind kind, bool legacy_name);
ParseOutcome ParseSqlStart(const EventLine& line);
ParseOutcome ParseSqlPlanUpdate(const EventLine& line);
ParseOutcome ParseSqlEnd(const EventLine& line);
ParseOutcome ParseQueryStarted(const EventLine& line);
ParseOutcome ParseQueryProgress(const EventLine& line);
ParseOutcome ParseQueryTerminated(const EventLine& line);
ParseOutcome ParseBlockUpdated(const EventLine& line);
ParseOutcome ParseUnpersistRdd(const EventLine& line);

}  // namespace sparkmedic::event_parser_internal

#endif  // SPARKMEDIC_CORE_MODEL_EVENT_PARSER_INTERNAL_H_
