// Live sources: the application model built from a running driver's or a History Server's
// REST API (`/api/v1/`) instead of an event log, for `sparkmedic diagnose|skew http://HOST:PORT`.
//
// What is fetched for one attempt (docs/live-sources.md): the application, `environment`,
// `allexecutors`, `jobs`, `stages` (every attempt), then every stage attempt's tasks through
// `stages/{id}/{attempt}/taskList` paged with an explicit `length` (the API's default of 20
// hides tasks) — a bounded number of requests in flight, each with a timeout, retried with
// exponential backoff on connection errors, timeouts, 429 and 5xx.
//
// The model differs from an event log's where the REST API says less: a task end is rebuilt
// from its status and errorMessage (ParseTaskErrorString); a failed job has no message
// (JobData carries none; its failed stage's failureReason does); exclusions are the executors'
// current isExcluded / excludedInStages, without times or counts; SQL plans come from the `sql`
// endpoint when the server has one; streaming query events are not available, so the
// continuous-streaming rules see none.
#ifndef SPARKMEDIC_LIVE_SOURCE_H_
#define SPARKMEDIC_LIVE_SOURCE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/app_summary.h"
#include "sparkmedic/model.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

struct LiveSourceOptions {
  int concurrency = 4;         // requests in flight (taskList pages), >= 1
  int timeout_ms = 30000;      // connect and read timeout of one request
  int retries = 3;             // further tries after a failed one
  int backoff_ms = 250;        // first retry delay, doubled each time
  int task_page_size = 10000;  // taskList `length` per request
  std::string bearer_token;    // sent as "Authorization: Bearer ..." when non-empty
  std::string ca_cert_file;    // https: trust these certificates (PEM) instead of the system's
  // Called after each fetched page with (tasks fetched, tasks expected); may be empty.
  std::function<void(uint64_t, uint64_t)> on_progress;
};

// True when `source` names a REST endpoint ("http://..." or "https://...") rather than a path.
bool IsLiveSource(std::string_view source);

// The applications the server lists (GET /api/v1/applications), in its order. Errors: the
// server cannot be reached, answers an error, or does not answer like Spark's REST API.
Result<std::vector<AppSummary>> ListLiveApplications(const std::string& base_url,
                                                     const LiveSourceOptions& options);

// Builds the model of one attempt (attempt_id empty: the application's newest attempt, or the
// only one of an application without attempt ids). Errors name the URL that failed and what
// to do; a 404 for the application says which applications the server has.
Result<Application> LoadLiveApplication(const std::string& base_url, const std::string& app_id,
                                        const std::string& attempt_id,
                                        const LiveSourceOptions& options);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_LIVE_SOURCE_H_
