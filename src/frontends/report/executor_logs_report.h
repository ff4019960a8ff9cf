// Renderings of executor-log evidence next to a diagnosis (docs/executor-logs.md).
#ifndef SPARKMEDIC_FRONTENDS_REPORT_EXECUTOR_LOGS_REPORT_H_
#define SPARKMEDIC_FRONTENDS_REPORT_EXECUTOR_LOGS_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "sparkmedic/diagnosis.h"
#include "sparkmedic/executor_logs.h"

namespace sparkmedic::report {

// Adds `findings[i].executor_logs` and a top-level `executor_logs` to a diagnosis JSON object.
void AddExecutorLogsJson(const ExecutorLogReport& logs, const ExecutorLogJoin& join,
                         nlohmann::ordered_json* diagnosis);

// The "Executor logs" section of the text report.
std::string ExecutorLogsText(const ExecutorLogReport& logs, const ExecutorLogJoin& join,
                             const Diagnosis& d);

}  // namespace sparkmedic::report

#endif  // SPARKMEDIC_FRONTENDS_REPORT_EXECUTOR_LOGS_REPORT_H_
