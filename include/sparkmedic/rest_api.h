// A Spark History Server-compatible REST API (`/api/v1/...`) over the application model.
//
// The router is transport-independent: HandleRest maps a path under /api/v1/ and its query
// parameters to a status, a content type and a body, exactly as Spark's History Server
// (3.5/4.x field set) would answer, printed like Jackson's default pretty printer. The HTTP
// front end (sparkmedic serve) and the conformance tests both call it.
//
// An AppCatalog supplies the list of applications and, on demand, the loaded model of one
// attempt. EventLogCatalog is the catalog over directories of event logs (docs/rest-api.md
// says what is read when).
#ifndef SPARKMEDIC_REST_API_H_
#define SPARKMEDIC_REST_API_H_

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sparkmedic/app_summary.h"
#include "sparkmedic/discovery.h"
#include "sparkmedic/loader.h"
#include "sparkmedic/model.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

class AppCatalog {
 public:
  virtual ~AppCatalog() = default;
  // Every application, in the History Server's order (end time of the newest attempt,
  // descending; running applications last).
  virtual std::vector<AppSummary> ListApplications() const = 0;
  // The model of one attempt (attempt_id empty: an application without attempt ids), or null
  // when there is no such attempt or its log cannot be read. Thread-safe.
  virtual std::shared_ptr<const Application> GetApplication(std::string_view app_id,
                                                            std::string_view attempt_id) const = 0;
  // The raw files of one attempt's log, for callers that need them; empty when unknown.
  virtual std::vector<std::string> LogFiles(std::string_view app_id,
                                            std::string_view attempt_id) const {
    return {};
  }
};

// Query parameters in request order; a name may repeat (Spark's list parameters).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct RestResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
};

// The Spark version /version reports.
inline constexpr const char* kRestSparkVersion = "3.5.1";

// Answers one request. `path` is relative to /api/v1/ ("applications/app-1/jobs"); a leading
// "/", "api/v1/" or "/api/v1/" is accepted too. Never throws.
RestResponse HandleRest(const AppCatalog& catalog, std::string_view path,
                        const QueryParams& params);

// An AppCatalog over directories of event logs. Construction discovers every log and reads
// from each only what the application list needs (the head up to ApplicationStart, the end
// for ApplicationEnd: frontends/server/listing.h, docs/rest-api.md "What is read when"); the
// full model of an attempt is loaded on first use and kept in a small LRU cache.
//
// The directories can be watched: Rescan (called every Options::poll_interval_ms by a
// background thread when that is set) lists new logs, re-reads the listing facts of logs
// whose files changed and drops their cached models, and forgets logs that are gone.
//
// Thread-safety: every member may be called concurrently, also while a rescan runs. A rescan
// publishes a new immutable snapshot of the list; callers keep working on the one they got.
class EventLogCatalog : public AppCatalog {
 public:
  struct Options {
    size_t cache_size = 8;  // loaded attempts kept in memory
    int threads = 1;        // parsing threads per load, and logs listed in parallel (0: cores)
    // Rescan the directories every this many milliseconds on a background thread; 0: no
    // thread (the list stays as Open found it, unless Rescan is called).
    int64_t poll_interval_ms = 0;
  };
  // Errors: a directory that cannot be found or listed. Logs that fail to load are skipped.
  static Result<std::unique_ptr<EventLogCatalog>> Open(const std::vector<std::string>& dirs,
                                                       const Options& options);
  // Stops the watcher thread (waiting for a rescan in flight) before anything is freed.
  ~EventLogCatalog() override;
  EventLogCatalog(const EventLogCatalog&) = delete;
  EventLogCatalog& operator=(const EventLogCatalog&) = delete;

  std::vector<AppSummary> ListApplications() const override;
  std::shared_ptr<const Application> GetApplication(std::string_view app_id,
                                                    std::string_view attempt_id) const override;
  std::vector<std::string> LogFiles(std::string_view app_id,
                                    std::string_view attempt_id) const override;

  // What one rescan did, counted in logs (one per attempt's log found by discovery).
  struct RescanStats {
    size_t added = 0;      // logs not seen before (a renamed ".inprogress" log counts here)
    size_t changed = 0;    // logs whose files changed: size, modification time, the set of
                           // files or the in-progress state; listing re-read, model dropped
    size_t removed = 0;    // logs gone since the previous scan
    size_t unchanged = 0;  // kept as they were (nothing read but the directory)
    // Directories that could not be listed this time; their previous logs are kept.
    std::vector<Status> errors;
  };
  // Rescans every directory now and publishes the new list. Concurrent calls run one after
  // the other.
  RescanStats Rescan();

 private:
  struct Entry;
  struct Snapshot;
  struct Watcher;
  EventLogCatalog();
  std::shared_ptr<const Snapshot> CurrentSnapshot() const;
  std::shared_ptr<const Entry> Find(std::string_view app_id, std::string_view attempt_id) const;
  // Discovers every directory, re-reads what changed since the current snapshot and
  // publishes the result. With `initial`, the first directory that cannot be listed is
  // returned in *error and nothing is published.
  RescanStats ScanAndPublish(bool initial, Status* error);

  Options options_;
  std::vector<std::string> dirs_;
  std::mutex rescan_mu_;   // one rescan at a time
  mutable std::mutex mu_;  // guards snapshot_ and cache_
  std::shared_ptr<const Snapshot> snapshot_;
  // LRU of loaded models, newest first; keyed by the entry (an entry replaced by a rescan is
  // dropped from the cache when the new snapshot is published).
  mutable std::list<std::pair<std::shared_ptr<const Entry>, std::shared_ptr<const Application>>>
      cache_;
  std::unique_ptr<Watcher> watcher_;  // null unless options_.poll_interval_ms > 0
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_REST_API_H_
