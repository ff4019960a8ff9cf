// Fuzz target: the input is a plain event log. It is loaded as `sparkmedic serve` loads one
// (task accumulables and executor metrics kept), diagnosed and checked for skew, and every REST
// endpoint of the resulting application is rendered: none of it may crash, leak or hit
// undefined behaviour, whatever the lines hold (the core's promise: bad input is counted and
// reported, the rest of the log is still read).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "sparkmedic/classify.h"
#include "sparkmedic/diagnosis.h"
#include "sparkmedic/discovery.h"
#include "sparkmedic/loader.h"
#include "sparkmedic/rest_api.h"
#include "sparkmedic/skew.h"

namespace sparkmedic::fuzz {
namespace {

// One application, as a catalog for the REST router.
class OneAppCatalog : public AppCatalog {
 public:
  explicit OneAppCatalog(std::shared_ptr<const Application> app) : app_(std::move(app)) {
    AppSummary s;
    s.id = app_->app_id;
    s.name = app_->name;
    AttemptSummary a;
    a.attempt_id = app_->attempt_id;
    a.start_time = app_->start_time;
    a.end_time = app_->end_time;
    a.completed = app_->completed;
    s.attempts.push_back(a);
    summary_.push_back(std::move(s));
  }
  std::vector<AppSummary> ListApplications() const override { return summary_; }
  std::shared_ptr<const Application> GetApplication(std::string_view app_id,
                                                    std::string_view attempt_id) const override {
    return app_id == app_->app_id && attempt_id == app_->attempt_id ? app_ : nullptr;
  }

 private:
  std::shared_ptr<const Application> app_;
  std::vector<AppSummary> summary_;
};

// The input lives in a memfd, read through its /proc/self/fd path like any log file.
int LogFd() {
  static int fd = [] {
    int f = memfd_create("fuzz-event-log", 0);
    if (f < 0) std::abort();
    return f;
  }();
  return fd;
}

void Rest(const AppCatalog& cat, const std::string& path, const QueryParams& q = {}) {
  RestResponse r = HandleRest(cat, path, q);
  if (r.status < 200 || r.status > 599) std::abort();
}

}  // namespace
}  // namespace sparkmedic::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparkmedic;
  using namespace sparkmedic::fuzz;
  int fd = LogFd();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
    std::abort();
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  Result<std::vector<LogSource>> found = DiscoverLogs(path);
  if (!found.ok() || found->size() != 1) return 0;
  LoadOptions opts;
  opts.threads = 1;
  opts.keep_task_accumulables = true;
  opts.keep_executor_metrics = true;
  ReadStats stats;
  Result<Application> loaded = LoadApplication((*found)[0], opts, nullptr, &stats);
  if (!loaded.ok()) return 0;
  auto app = std::make_shared<const Application>(std::move(*loaded));

  static const std::unique_ptr<Classifier> classifier = Classifier::Create();
  Diagnosis d = Diagnose(*app, *classifier, DiagnoseOptions{});
  (void)d;
  SkewReport s = AnalyzeSkew(*app, SkewOptions{});
  (void)s;

  OneAppCatalog cat(app);
  std::string base = "applications/" + app->app_id;
  if (!app->attempt_id.empty()) base += "/" + app->attempt_id;
  Rest(cat, "applications");
  Rest(cat, base);
  Rest(cat, base + "/jobs");
  Rest(cat, base + "/executors");
  Rest(cat, base + "/allexecutors");
  Rest(cat, base + "/environment");
  Rest(cat, base + "/storage/rdd");
  for (const auto& [id, rdd] : app->rdds) Rest(cat, base + "/storage/rdd/" + std::to_string(id));
  Rest(cat, base + "/stages", {{"details", "true"}, {"withSummaries", "true"}});
  for (const auto& [id, job] : app->jobs) Rest(cat, base + "/jobs/" + std::to_string(id));
  for (const auto& [key, st] : app->stages) {
    std::string sp =
        base + "/stages/" + std::to_string(st.stage_id) + "/" + std::to_string(st.attempt_id);
    Rest(cat, sp, {{"withSummaries", "true"}});
    Rest(cat, sp + "/taskSummary");
    Rest(cat, sp + "/taskList", {{"length", "1000"}, {"sortBy", "-runtime"}});
  }
  return 0;
}
