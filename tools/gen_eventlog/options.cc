// --inject parsing, scenario presets and validation. See options.h.
#include "options.h"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include "spark_texts.h"

namespace sparkmedic::gen {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string copy(s);
  char* end = nullptr;
  *out = std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

struct KindName {
  const char* name;
  FailureKind kind;
};
constexpr KindName kKinds[] = {
    {"exception", FailureKind::kException},
    {"oom", FailureKind::kOom},
    {"oom-direct", FailureKind::kOomDirect},
    {"fetch-failed", FailureKind::kFetchFailed},
    {"result-lost", FailureKind::kResultLost},
    {"unknown", FailureKind::kUnknown},
    {"commit-denied", FailureKind::kCommitDenied},
    {"executor-lost", FailureKind::kExecutorLost},
    {"killed", FailureKind::kKilled},
    {"speculation", FailureKind::kSpeculation},
};

Status ParseTarget(std::string_view text, InjectTarget* t) {
  if (text == "map") {
    t->task_type = 1;
    return Status::Ok();
  }
  if (text == "result") {
    t->task_type = 2;
    return Status::Ok();
  }
  if (text == "reduce") {
    t->task_type = 3;
    return Status::Ok();
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("bad target '@{}'", text));
  }
  std::string_view what = text.substr(0, colon);
  std::string_view value = text.substr(colon + 1);
  int64_t n = 0;
  if (what == "host" && ParseInt(value, &n) && n >= 0) {
    t->host = static_cast<int>(n);
    return Status::Ok();
  }
  if (what == "exec" && !value.empty()) {
    t->exec = std::string(value);
    return Status::Ok();
  }
  if (what == "stage") {
    std::string_view stage = value.substr(0, value.find('.'));
    if (stage == "last") {
      t->stage = -2;
    } else if (ParseInt(stage, &n) && n >= 0) {
      t->stage = static_cast<int>(n);
    } else {
      return Status::InvalidArgument(fmt::format("bad stage in '@{}'", text));
    }
    if (size_t dot = value.find('.'); dot != std::string_view::npos) {
      if (!ParseInt(value.substr(dot + 1), &n) || n < 0) {
        return Status::InvalidArgument(fmt::format("bad partition in '@{}'", text));
      }
      t->partition = static_cast<int>(n);
    }
    return Status::Ok();
  }
  return Status::InvalidArgument(
      fmt::format("bad target '@{}' (use host:H, exec:E, stage:S[.P], map, result, reduce)", text));
}

Status ParseAmount(std::string_view text, InjectSpec* spec) {
  int64_t n = 0;
  double d = 0;
  if (text == "all") {
    spec->amount = InjectSpec::Amount::kAll;
  } else if (!text.empty() && text.back() == '%' &&
             ParseDouble(text.substr(0, text.size() - 1), &d) && d >= 0 && d <= 100) {
    spec->amount = InjectSpec::Amount::kRate;
    spec->rate = d / 100.0;
  } else if (ParseInt(text, &n) && n >= 0) {
    spec->amount = InjectSpec::Amount::kCount;
    spec->count = static_cast<uint64_t>(n);
  } else {
    return Status::InvalidArgument(
        fmt::format("bad amount '{}' (a count like 20, a rate like 0.5%, or all)", text));
  }
  return Status::Ok();
}

Status CheckArg(InjectSpec* spec) {
  switch (spec->kind) {
    case FailureKind::kException:
      if (!IsExceptionKey(spec->arg)) {
        return Status::InvalidArgument(
            fmt::format("unknown exception '{}' (see --list-exceptions)", spec->arg));
      }
      return Status::Ok();
    case FailureKind::kExecutorLost:
      if (spec->arg.empty()) spec->arg = "137";
      if (!IsExecutorLossKind(spec->arg)) {
        return Status::InvalidArgument(fmt::format(
            "unknown executor loss '{}' (137, 143, 52, 53, decommission, heartbeat, deleted)",
            spec->arg));
      }
      return Status::Ok();
    default:
      if (!spec->arg.empty()) {
        return Status::InvalidArgument(fmt::format("'{}' takes no :ARG", spec->text));
      }
      return Status::Ok();
  }
}

}  // namespace

Status ParseInjectSpec(std::string_view text, InjectSpec* out) {
  InjectSpec spec;
  text = Trim(text);
  spec.text = std::string(text);
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("inject item '{}' needs =AMOUNT", text));
  }
  std::string_view head = text.substr(0, eq);
  std::string_view rest = text.substr(eq + 1);
  size_t at = rest.find('@');
  std::string_view amount = rest.substr(0, at);
  if (at != std::string_view::npos) {
    SPARKMEDIC_RETURN_IF_ERROR(ParseTarget(rest.substr(at + 1), &spec.target));
  }
  SPARKMEDIC_RETURN_IF_ERROR(ParseAmount(amount, &spec));
  size_t colon = head.find(':');
  std::string_view kind = head.substr(0, colon);
  if (colon != std::string_view::npos) spec.arg = std::string(head.substr(colon + 1));
  bool found = false;
  for (const KindName& k : kKinds) {
    if (kind == k.name) {
      spec.kind = k.kind;
      found = true;
    }
  }
  if (!found) {
    return Status::InvalidArgument(fmt::format("unknown failure kind '{}' in '{}'", kind, text));
  }
  SPARKMEDIC_RETURN_IF_ERROR(CheckArg(&spec));
  *out = std::move(spec);
  return Status::Ok();
}

Status ParseInjectList(std::string_view text, std::vector<InjectSpec>* out) {
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    InjectSpec spec;
    SPARKMEDIC_RETURN_IF_ERROR(ParseInjectSpec(item, &spec));
    out->push_back(std::move(spec));
  }
  return Status::Ok();
}

const std::vector<std::string>& ScenarioNames() {
  static const std::vector<std::string> kNames = {
      "healthy",     "mixed", "deterministic-partition", "host-concentrated",
      "fetch-retry", "skew",  "continuous-streaming",    "microbatch-streaming",
      "oom-k8s",     "bench"};
  return kNames;
}

std::string ScenarioDescription(std::string_view name) {
  if (name == "healthy") {
    return "2000 tasks, no failures; dynamic allocation removes idle executors (\"Executor "
           "killed by driver.\") and adds them back.";
  }
  if (name == "mixed") {
    return "every TaskEndReason at least once: each catalogue exception, heap and direct OOM "
           "(executor exit 52), every Kubernetes executor loss (137, 143, 53, decommission, "
           "heartbeat, pod deleted) with Resubmitted map outputs, FetchFailed and a stage retry, "
           "TaskResultLost, UnknownReason, TaskCommitDenied, TaskKilled (Web UI, speculation, "
           "stage cancelled), exclusion events (both Blacklisted and Excluded classes).";
  }
  if (name == "deterministic-partition") {
    return "partition 3 of the last stage throws com.example.etl.BadRecordException on every "
           "attempt; after spark.task.maxFailures=4 the stage and job abort with Spark's "
           "message and the application ends.";
  }
  if (name == "host-concentrated") {
    return "12 executors on 4 hosts; 30% of the task attempts on host index 2 fail with "
           "\"No space left on device\" and one executor there exits with code 53; exclusion "
           "on failure is enabled, so executors and the node get excluded.";
  }
  if (name == "fetch-retry") {
    return "an executor is OOM-killed (137) during a shuffle-reading stage and two FetchFailed "
           "tasks fail their stage attempts; parents re-run lost map outputs and the stages "
           "retry as attempt 1.";
  }
  if (name == "skew") {
    return "one shuffle-reading stage has 3 partitions with 30x the median shuffle-read bytes, "
           "records and run time (adaptive skew-join handling disabled).";
  }
  if (name == "continuous-streaming") {
    return "a continuous-processing Structured Streaming query (Kafka to Kafka): long-running "
           "tasks, job properties with __continuous_start_epoch / __epoch_coordinator_id, no "
           "QueryProgressEvent; one task fails, its retries throw ContinuousTaskRetryException "
           "until the job aborts and QueryTerminatedEvent carries the exception.";
  }
  if (name == "microbatch-streaming") {
    return "a micro-batch Structured Streaming query: one SQL execution and two jobs per batch "
           "with streaming.sql.batchId, a QueryProgressEvent per batch, one transient task "
           "failure that retries, and a clean QueryTerminatedEvent.";
  }
  if (name == "oom-k8s") {
    return "memory trouble on Kubernetes: four executors OOM-killed (exit 137), two in-JVM heap "
           "OOMs and one direct-buffer OOM (each followed by executor exit 52), with "
           "replacement executors.";
  }
  if (name == "bench") {
    return "1,000,000 task attempts on 64 executors, 2000 partitions per stage, a realistic "
           "failure mix of about 0.5% of attempts (exceptions, OOM, executor loss, fetch "
           "failures, speculation, kills).";
  }
  return "";
}

namespace {

// Appends preset items; the first error (a typo in a preset) is kept in *st.
void Add(Options* o, std::string_view list, Status* st) {
  Status parsed = ParseInjectList(list, &o->injects);
  if (st->ok() && !parsed.ok()) *st = std::move(parsed);
}

}  // namespace

Status ApplyScenario(std::string_view name, Options* o) {
  o->scenario = std::string(name);
  Status st;
  if (name == "healthy") {
    o->dynamic_allocation = true;
  } else if (name == "mixed") {
    o->tasks = 3000;
    o->partitions_per_stage = 100;
    o->hosts = 4;
    o->exclude_on_failure = true;
    o->max_failures_set = true;
    for (const std::string& key : ExceptionKeys()) {
      if (key == "ContinuousTaskRetry" || key == "OutOfMemoryError" || key == "DirectBufferOOM" ||
          key == "NoSpaceLeft") {
        continue;
      }
      Add(o, "exception:" + key + "=2", &st);
    }
    Add(o,
        "exception:NoSpaceLeft=4@host:1,oom=1,oom-direct=1,fetch-failed=1,result-lost=2,"
        "unknown=2,commit-denied=2,killed=2,speculation=4,executor-lost:137=1@map,"
        "executor-lost:143=2,executor-lost:53=1,executor-lost:decommission=1,"
        "executor-lost:heartbeat=1,executor-lost:deleted=2,exception:BadRecord=all@stage:last.3",
        &st);
  } else if (name == "deterministic-partition") {
    o->tasks = 1200;
    o->partitions_per_stage = 100;
    o->max_failures = 4;
    o->max_failures_set = true;
    Add(o, "exception:BadRecord=all@stage:last.3", &st);
  } else if (name == "host-concentrated") {
    o->tasks = 2400;
    o->partitions_per_stage = 120;
    o->executors = 12;
    o->hosts = 4;
    o->exclude_on_failure = true;
    Add(o, "exception:NoSpaceLeft=30%@host:2,executor-lost:53=1@host:2", &st);
  } else if (name == "fetch-retry") {
    Add(o, "executor-lost:137=1@reduce,fetch-failed=2", &st);
  } else if (name == "skew") {
    o->skew_partitions = 3;
    o->skew_factor = 30;
    o->aqe_conf_set = true;
  } else if (name == "continuous-streaming") {
    o->streaming = Streaming::kContinuous;
    o->executors = 4;
    o->tasks = 8;
    o->partitions_per_stage = 8;
    o->max_failures_set = true;
    Add(o, "exception:ConnectionReset=1@stage:0.2", &st);
  } else if (name == "microbatch-streaming") {
    o->streaming = Streaming::kMicroBatch;
    o->executors = 4;
    o->tasks = 6 * 2 * 16;
    o->partitions_per_stage = 16;
    o->micro_batches = 6;
    Add(o, "exception:ConnectException=1", &st);
  } else if (name == "oom-k8s") {
    Add(o, "executor-lost:137=4,oom=2,oom-direct=1", &st);
  } else if (name == "bench") {
    o->tasks = 1000000;
    o->executors = 64;
    o->partitions_per_stage = 2000;
    o->dynamic_allocation = true;
    Add(o,
        "exception:NullPointerException=0.06%,exception:NumberFormatException=0.04%,"
        "exception:ConnectionReset=0.05%,exception:FileNotFoundException=0.01%,"
        "exception:BadRecord=0.03%,exception:PythonWorkerCrash=0.01%,oom=0.002%,"
        "executor-lost:137=0.0015%,executor-lost:decommission=0.0005%,fetch-failed=0.001%,"
        "result-lost=0.005%,unknown=0.003%,commit-denied=0.01%,killed=0.01%,"
        "speculation=0.05%",
        &st);
  } else {
    return Status::InvalidArgument(fmt::format("unknown scenario '{}'", name));
  }
  return st;
}

Status Validate(const Options& o) {
  if (o.tasks == 0) return Status::InvalidArgument("--tasks must be at least 1");
  if (o.executors < 1 || o.executors > 100000) {
    return Status::InvalidArgument("--executors must be in 1..100000");
  }
  if (o.hosts < 0) return Status::InvalidArgument("--hosts must be >= 0");
  if (o.cores < 1 || o.cores > 256) return Status::InvalidArgument("--cores must be in 1..256");
  if (o.stages < 0 || o.partitions_per_stage < 0) {
    return Status::InvalidArgument("--stages and --partitions-per-stage must be >= 0");
  }
  if (o.stages_per_query < 1 || o.stages_per_query > 6) {
    return Status::InvalidArgument("--stages-per-query must be in 1..6");
  }
  if (o.max_failures < 1) return Status::InvalidArgument("--max-failures must be >= 1");
  if (o.stop_at <= 0 || o.stop_at > 1) return Status::InvalidArgument("--stop-at must be in (0,1]");
  if (o.rolling_max_bytes < 0 || o.flush_every < 0) {
    return Status::InvalidArgument("--rolling-max-bytes and --flush-every must be >= 0");
  }
  if (o.skew_partitions < 0 || o.skew_factor < 1) {
    return Status::InvalidArgument("--skew-partitions must be >= 0 and --skew-factor >= 1");
  }
  for (const InjectSpec& s : o.injects) {
    if ((s.kind == FailureKind::kException && !IsExceptionKey(s.arg)) ||
        (s.kind == FailureKind::kExecutorLost && !IsExecutorLossKind(s.arg))) {
      return Status::InvalidArgument(fmt::format("bad inject item '{}'", s.text));
    }
  }
  int major = std::atoi(o.spark_version.c_str());
  if (major != 3 && major != 4) {
    return Status::InvalidArgument("--spark-version must be 3.x (3.5 shapes) or 4.x");
  }
  return Status::Ok();
}

std::string InjectHelp() {
  return "--inject takes a comma-separated list of items KIND[:ARG]=AMOUNT[@TARGET]\n"
         "(repeat the flag or use commas). AMOUNT is a count of injected events (20), a percent\n"
         "of eligible task attempts (0.5%), or 'all' (every eligible attempt). Counts without a\n"
         "target are spread evenly over the run; with a target the first eligible attempts fire.\n"
         "KIND:\n"
         "  exception:KEY        ExceptionFailure with catalogue entry KEY (--list-exceptions)\n"
         "  oom / oom-direct     heap / direct-buffer OutOfMemoryError, then the executor exits "
         "52\n"
         "  fetch-failed         FetchFailed on a shuffle-reading task; stage attempt fails, "
         "retries\n"
         "  result-lost          TaskResultLost (ResultTask)\n"
         "  unknown              UnknownReason\n"
         "  commit-denied        TaskCommitDenied (ResultTask; History Server counts it as "
         "killed)\n"
         "  executor-lost:WHY    the executor dies: 137 (OOMKilled), 143, 52, 53, decommission,\n"
         "                       heartbeat, deleted; running tasks get ExecutorLostFailure and\n"
         "                       finished map tasks of the running stage are Resubmitted\n"
         "  killed               TaskKilled \"killed via the Web UI\"; the task is retried\n"
         "  speculation          a straggler gets a speculative copy; the loser is killed with\n"
         "                       \"another attempt succeeded\"\n"
         "TARGET: @host:H (host index) | @exec:E (executor id) | @stage:S or @stage:S.P\n"
         "        (stage id or 'last', optional partition) | @map | @result | @reduce\n"
         "Examples: exception:NullPointerException=20,oom=5,fetch-failed=3\n"
         "          exception:NoSpaceLeft=30%@host:2   exception:BadRecord=all@stage:last.3\n";
}

}  // namespace sparkmedic::gen
