// Internal: the endpoint families of the REST router (rest_api.cc routes to these).
#ifndef SPARKMEDIC_FRONTENDS_SERVER_REST_INTERNAL_H_
#define SPARKMEDIC_FRONTENDS_SERVER_REST_INTERNAL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/model.h"
#include "sparkmedic/rest_api.h"

#include "frontends/server/rest_util.h"

namespace sparkmedic::server {

// Task outcome counting as AppStatusListener: Success → completed; TaskKilled and
// TaskCommitDenied → killed; every other end → failed.
enum class Outcome { kActive, kCompleted, kKilled, kFailed };
Outcome OutcomeOf(const TaskAttempt& t);
// The kill reason (TaskKilled) or the commit-denied string, for killedTasksSummary.
std::string KilledReason(const Application& app, const TaskAttempt& t);

class RestAnswer;  // rest_cache.h

// HandleRest's answer without a copy of its body: kept answers are shared by every request
// that gets them (the HTTP transport sends the body, or its gzip form, from here). Never
// throws.
std::shared_ptr<const RestAnswer> HandleRestShared(const AppCatalog& catalog, std::string_view path,
                                                   const QueryParams& params);

// `rest` holds the path segments after "stages". Derived per-stage data is memoised per
// application (rest_stages.cc, StageMemo).
RestResponse HandleStages(const std::shared_ptr<const Application>& app,
                          const std::vector<std::string>& rest, const QueryParams& q);

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_REST_INTERNAL_H_
