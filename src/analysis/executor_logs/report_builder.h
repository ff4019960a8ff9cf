// From LogScanner's per-source accumulators to the ExecutorLogReport.
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_REPORT_BUILDER_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_REPORT_BUILDER_H_

#include <string>

#include "sparkmedic/executor_logs.h"
#include "sparkmedic/model.h"

#include "file_walk.h"
#include "log_scanner.h"

namespace sparkmedic::exlogs {

// Attributes the sources that nothing else attributed by the TIDs they mention: to the
// executor that ran all of those TIDs that `app` knows (at least one).
void AttributeByTasks(const Application& app, LogScanner* scanner);

// Moves the scanner's accumulators into a report. The scanner is spent afterwards.
ExecutorLogReport BuildReport(const std::string& path, const LogFiles& files,
                              const ExecutorLogOptions& options, LogScanner* scanner);

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_REPORT_BUILDER_H_
