#!/usr/bin/env python3
"""Independent figures from a Spark event log's raw JSON lines (standard library only).

Usage: count_events.py <log path>

The path is one log as sparkmedic's discovery finds it: a plain file, a .zstd file (decoded
with `zstd -dc`), a .gz file, or a rolling `eventlog_v2_*` directory (its events_N files are
read one after another in numeric order). Spark's own lz4 / snappy / lzf stream formats have
no standard-library decoder: for those the output is {"skipped": "<reason>"} (exit status 0),
and the caller compares against a plain twin instead.

Prints one JSON object. Every figure is computed here from `json.loads` of each line, without
looking at sparkmedic's code; the rules follow Spark (docs/spark-facts.md):
  - a line is blank when it holds only spaces/tabs (after a trailing '\\r'); blank lines are
    not counted but do advance line numbers;
  - malformed: not JSON, not a JSON object, or no string "Event" field. In a log still being
    written (.inprogress file, rolling dir without a finished appstatus marker) a last line
    with no '\\n' that fails to parse is a truncated tail, not a malformed line;
  - task outcomes as the History Server counts them (AppStatusListener): Success → succeeded;
    TaskKilled and TaskCommitDenied → killed; every other reason (Resubmitted too) → failed;
  - exclusion events: Spark 3.1+ writes both the legacy "...Blacklisted..." and the new
    "...Excluded..." event for one decision; they are counted once (key: kind, target, time,
    stage, stage attempt).

Exit status: 0 with the JSON on stdout; 2 on usage or I/O errors (message on stderr).
"""

import gzip
import json
import os
import re
import subprocess
import sys
import zlib

DRIVER_IDS = ("driver", "<driver>")
CODEC_SUFFIXES = (".lz4", ".lzf", ".snappy", ".zstd", ".zst", ".gz")
UNSUPPORTED = (".lz4", ".lzf", ".snappy")

# Legacy and new exclusion event names → the kind (new naming).
EXCLUSION_KINDS = {
    "SparkListenerExecutorExcluded": "executor-excluded",
    "SparkListenerExecutorBlacklisted": "executor-excluded",
    "SparkListenerExecutorUnexcluded": "executor-unexcluded",
    "SparkListenerExecutorUnblacklisted": "executor-unexcluded",
    "SparkListenerExecutorExcludedForStage": "executor-excluded-for-stage",
    "SparkListenerExecutorBlacklistedForStage": "executor-excluded-for-stage",
    "SparkListenerNodeExcluded": "node-excluded",
    "SparkListenerNodeBlacklisted": "node-excluded",
    "SparkListenerNodeUnexcluded": "node-unexcluded",
    "SparkListenerNodeUnblacklisted": "node-unexcluded",
    "SparkListenerNodeExcludedForStage": "node-excluded-for-stage",
    "SparkListenerNodeBlacklistedForStage": "node-excluded-for-stage",
}

KILLED_REASONS = ("TaskKilled", "TaskCommitDenied")


def simple_name(name):
    """org.apache.spark.sql.streaming.StreamingQueryListener$QueryStartedEvent → QueryStartedEvent."""
    return re.split(r"[.$]", name)[-1]


def strip_codec(name):
    if name.endswith(".inprogress"):
        name = name[: -len(".inprogress")]
    for suffix in CODEC_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def log_files(path):
    """(list of (file path, codec suffix), in_progress) for one log."""
    if os.path.isdir(path):
        parts = []
        finished = False
        for entry in os.listdir(path):
            full = os.path.join(path, entry)
            if entry.startswith("appstatus_") and not entry.endswith(".inprogress"):
                finished = True
            m = re.match(r"events_(\d+)_", entry)
            if m and os.path.isfile(full) and not entry.startswith("."):
                _, codec = strip_codec(entry)
                parts.append((int(m.group(1)), full, codec))
        parts.sort()
        return [(p, c) for _, p, c in parts], not finished
    _, codec = strip_codec(os.path.basename(path))
    return [(path, codec)], path.endswith(".inprogress")


def read_bytes(path, codec):
    """(decoded bytes, stream_truncated)."""
    if codec in (".zstd", ".zst"):
        proc = subprocess.run(["zstd", "-dc", "--", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        # A stream still being written ends mid-frame: zstd prints what it decoded, then fails.
        return proc.stdout, proc.returncode != 0
    if codec == ".gz":
        # Concatenated members are read as one stream; a cut stream yields what precedes
        # the cut.
        out = bytearray()
        truncated = False
        with gzip.open(path, "rb") as f:
            try:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    out += chunk
            except (EOFError, zlib.error, gzip.BadGzipFile):
                truncated = True
        return bytes(out), truncated
    with open(path, "rb") as f:
        return f.read(), False


def _reject_constant(name):
    raise ValueError("non-standard JSON constant " + name)


class Counter:
    def __init__(self):
        self.lines = 0
        self.events = 0
        self.malformed = 0
        self.malformed_samples = []  # {"file", "line", "offset"}
        self.truncated_tail = False
        self.stream_truncated = False
        self.event_counts = {}
        self.task_starts = 0
        self.started_task_ids = set()
        self.ended_task_ids = set()
        self.task_end_reasons = {}
        self.tasks_succeeded = self.tasks_failed = self.tasks_killed = 0
        self.job_starts = 0
        self.job_ends = 0
        self.job_ids = set()
        self.started_job_ids = set()
        self.job_result = {}  # job id → last Result
        self.stage_pairs = set()  # from StageSubmitted / StageCompleted / JobStart Stage Infos
        self.task_stage_pairs = set()  # from TaskStart / TaskEnd
        self.failed_stage_pairs = set()
        self.executors_added = set()
        self.executors_removed = {}  # id → last reason
        self.block_manager_ids = set()
        self.exclusion_keys = set()
        self.exclusion_kinds = {}
        self.exclusion_raw = 0
        self.sql_started = set()
        self.sql_ended = set()
        self.streaming_ids = set()
        self.app_id = None
        self.app_attempt_id = None
        self.app_name = None
        self.user = None
        self.spark_version = None
        self.app_start = False
        self.app_end = False

    def stage_info(self, si, failed_ok):
        if not isinstance(si, dict) or "Stage ID" not in si:
            return
        pair = (si["Stage ID"], si.get("Stage Attempt ID", 0))
        self.stage_pairs.add(pair)
        if failed_ok and si.get("Failure Reason") is not None:
            self.failed_stage_pairs.add(pair)

    def event(self, ev):
        name = ev["Event"]
        self.event_counts[name] = self.event_counts.get(name, 0) + 1
        s = simple_name(name)
        if s == "SparkListenerLogStart":
            self.spark_version = ev.get("Spark Version", "")
        elif s == "SparkListenerApplicationStart":
            self.app_start = True
            self.app_name = ev.get("App Name")
            if ev.get("App ID") is not None:
                self.app_id = ev.get("App ID")
            if ev.get("App Attempt ID") is not None:
                self.app_attempt_id = ev.get("App Attempt ID")
            self.user = ev.get("User")
        elif s == "SparkListenerApplicationEnd":
            self.app_end = True
        elif s == "SparkListenerTaskStart":
            self.task_starts += 1
            info = ev.get("Task Info") or {}
            self.started_task_ids.add(info.get("Task ID"))
            self.task_stage_pairs.add((ev.get("Stage ID"), ev.get("Stage Attempt ID", 0)))
        elif s == "SparkListenerTaskEnd":
            reason = (ev.get("Task End Reason") or {}).get("Reason")
            self.task_end_reasons[reason] = self.task_end_reasons.get(reason, 0) + 1
            if reason == "Success":
                self.tasks_succeeded += 1
            elif reason in KILLED_REASONS:
                self.tasks_killed += 1
            else:
                self.tasks_failed += 1
            info = ev.get("Task Info") or {}
            if reason != "Resubmitted":
                self.ended_task_ids.add(info.get("Task ID"))
            self.task_stage_pairs.add((ev.get("Stage ID"), ev.get("Stage Attempt ID", 0)))
        elif s == "SparkListenerJobStart":
            self.job_starts += 1
            self.job_ids.add(ev.get("Job ID"))
            self.started_job_ids.add(ev.get("Job ID"))
            for si in ev.get("Stage Infos") or []:
                self.stage_info(si, False)
            props = ev.get("Properties") or {}
            qid = props.get("sql.streaming.queryId")
            if qid is not None:
                self.streaming_ids.add(qid)
        elif s == "SparkListenerJobEnd":
            self.job_ends += 1
            jid = ev.get("Job ID")
            self.job_ids.add(jid)
            self.job_result[jid] = (ev.get("Job Result") or {}).get("Result")
        elif s == "SparkListenerStageSubmitted":
            self.stage_info(ev.get("Stage Info"), False)
        elif s == "SparkListenerStageCompleted":
            self.stage_info(ev.get("Stage Info"), True)
        elif s == "SparkListenerExecutorAdded":
            self.executors_added.add(ev.get("Executor ID"))
        elif s == "SparkListenerExecutorRemoved":
            self.executors_removed[ev.get("Executor ID")] = ev.get("Removed Reason", "")
        elif s in ("SparkListenerBlockManagerAdded", "SparkListenerBlockManagerRemoved"):
            bm = ev.get("Block Manager ID") or {}
            self.block_manager_ids.add(bm.get("Executor ID"))
        elif s in EXCLUSION_KINDS:
            self.exclusion_raw += 1
            kind = EXCLUSION_KINDS[s]
            target = ev.get("executorId", ev.get("hostId"))
            key = (kind, target, ev.get("time"), ev.get("stageId", -1),
                   ev.get("stageAttemptId", -1))
            if key not in self.exclusion_keys:
                self.exclusion_keys.add(key)
                self.exclusion_kinds[kind] = self.exclusion_kinds.get(kind, 0) + 1
        elif s == "SparkListenerSQLExecutionStart":
            self.sql_started.add(ev.get("executionId"))
        elif s == "SparkListenerSQLExecutionEnd":
            self.sql_ended.add(ev.get("executionId"))
        elif s in ("QueryStartedEvent", "QueryTerminatedEvent"):
            if ev.get("id") is not None:
                self.streaming_ids.add(ev.get("id"))
        elif s == "QueryProgressEvent":
            qid = (ev.get("progress") or {}).get("id")
            if qid is not None:
                self.streaming_ids.add(qid)

    def feed(self, path, data, last_file, in_progress):
        pos = 0
        line_no = 0
        n = len(data)
        while pos < n:
            nl = data.find(b"\n", pos)
            terminated = nl >= 0
            end = nl if terminated else n
            line = data[pos:end]
            offset = pos
            pos = end + 1 if terminated else n
            line_no += 1
            body = line[:-1] if terminated and line.endswith(b"\r") else line
            if not body.strip(b" \t" if terminated else b" \t\r"):
                continue
            self.lines += 1
            ev = None
            try:
                ev = json.loads(body, parse_constant=_reject_constant)
            except (ValueError, UnicodeDecodeError, RecursionError):
                ev = None
            ok = isinstance(ev, dict) and isinstance(ev.get("Event"), str)
            if ok:
                self.events += 1
                self.event(ev)
            elif not terminated and last_file and in_progress:
                self.truncated_tail = True
            else:
                self.malformed += 1
                if len(self.malformed_samples) < 20:
                    self.malformed_samples.append(
                        {"file": path, "line": line_no, "offset": offset})

    def result(self):
        def ids(values):
            return sorted(v for v in values if v is not None and v not in DRIVER_IDS)

        removed_reasons = {}
        for eid, reason in self.executors_removed.items():
            if eid in DRIVER_IDS:
                continue
            removed_reasons[reason] = removed_reasons.get(reason, 0) + 1
        jobs_failed = sum(1 for r in self.job_result.values() if r != "JobSucceeded")
        return {
            "lines": self.lines,
            "events": self.events,
            "malformed_lines": self.malformed,
            "malformed_samples": self.malformed_samples,
            "truncated_tail": self.truncated_tail,
            "stream_truncated": self.stream_truncated,
            "event_counts": self.event_counts,
            "app_id": self.app_id,
            "app_attempt_id": self.app_attempt_id,
            "app_name": self.app_name,
            "user": self.user,
            "spark_version": self.spark_version,
            "has_application_start": self.app_start,
            "application_end": self.app_end,
            "task_starts": self.task_starts,
            "task_ends": sum(self.task_end_reasons.values()),
            "task_end_reasons": {str(k): v for k, v in self.task_end_reasons.items()},
            "tasks_succeeded": self.tasks_succeeded,
            "tasks_failed": self.tasks_failed,
            "tasks_killed": self.tasks_killed,
            # Task ids started and never ended (a Resubmitted end re-reports a finished task).
            "tasks_never_ended": len(self.started_task_ids - self.ended_task_ids),
            "job_starts": self.job_starts,
            "job_ends": self.job_ends,
            "jobs": len(self.job_ids),
            "jobs_started": len(self.started_job_ids),
            "jobs_ended": len(self.job_result),
            "jobs_failed": jobs_failed,
            "stage_attempts": len(self.stage_pairs),
            "stage_attempts_with_tasks": len(self.stage_pairs | self.task_stage_pairs),
            "failed_stage_attempts": len(self.failed_stage_pairs),
            "executors_added": ids(self.executors_added),
            "executors_removed": ids(self.executors_removed.keys()),
            "executor_removed_reasons": removed_reasons,
            "executors_all": ids(self.executors_added | set(self.executors_removed)
                                 | self.block_manager_ids),
            "exclusion_events_raw": self.exclusion_raw,
            "exclusions": len(self.exclusion_keys),
            "exclusion_kinds": self.exclusion_kinds,
            "sql_executions_started": len(self.sql_started),
            "sql_executions": len(self.sql_started | self.sql_ended),
            "streaming_query_ids": sorted(self.streaming_ids),
        }


def main(argv):
    if len(argv) != 2:
        print("usage: count_events.py <event log file or rolling dir>", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        files, in_progress = log_files(path)
    except OSError as e:
        print(f"count_events.py: {e}", file=sys.stderr)
        return 2
    for f, codec in files:
        if codec in UNSUPPORTED:
            json.dump({"skipped": f"{codec[1:]} stream format has no Python standard-library "
                                  f"decoder: {f}"}, sys.stdout)
            print()
            return 0
    c = Counter()
    for i, (f, codec) in enumerate(files):
        try:
            data, truncated = read_bytes(f, codec)
        except OSError as e:
            print(f"count_events.py: {e}", file=sys.stderr)
            return 2
        last = i + 1 == len(files)
        c.stream_truncated = c.stream_truncated or truncated
        c.feed(f, data, last, in_progress)
    json.dump(c.result(), sys.stdout, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
