// Which executor a log belongs to: from its name, its directory, a `kubectl logs --prefix` pod
// prefix, or the lines where the executor states its own id (docs/executor-logs.md
// "Attribution").
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_ATTRIBUTION_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_ATTRIBUTION_H_

#include <string>
#include <string_view>

namespace sparkmedic::exlogs {

// The executor id a pod or file name carries: the digits of the last "exec<sep>N" or
// "executor<sep>N" (sep: '-', '_' or nothing; not preceded by a letter or digit, not followed
// by one), as spark-on-k8s names executor pods "<prefix>-exec-<N>". A pod name ending in
// "-driver" gives "driver". Empty when none.
std::string ExecutorFromPodName(std::string_view name);

// A file name (last path component): ExecutorFromPodName, or "<N>", "<N>.log", "<N>.txt", each
// optionally ".gz". Empty when none.
std::string ExecutorFromFileName(std::string_view name);

// A directory name: ExecutorFromPodName, or all digits (Spark standalone's
// work/<app>/<N>/stderr). Empty when none.
std::string ExecutorFromDirName(std::string_view name);

// A line where the executor states its id: "Starting executor ID 3 on host ...", the launch
// command's "--executor-id 3", "Initialized BlockManager: BlockManagerId(3, ...". Sets *pod from
// "--podName <pod>" when present. Returns the id or empty.
std::string ExecutorFromLine(std::string_view line, std::string* pod);

// `kubectl logs --prefix` lines start with "[pod/<pod>/<container>] ". When `line` does, sets
// *pod and *rest (the line after the prefix) and returns true.
bool SplitPodPrefix(std::string_view line, std::string_view* pod, std::string_view* rest);

// True for an id made only of [A-Za-z0-9_.-], 1 to 64 bytes.
bool IsPlausibleExecutorId(std::string_view id);

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_ATTRIBUTION_H_
