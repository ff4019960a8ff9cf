// EventLogCatalog: discovery + cheap listing reads (listing.h) + an LRU cache of loaded
// attempts.
#include <algorithm>

#include "sparkmedic/rest_api.h"

#include "frontends/server/listing.h"

namespace sparkmedic {

Result<std::unique_ptr<EventLogCatalog>> EventLogCatalog::Open(const std::vector<std::string>& dirs,
                                                               const Options& options) {
  std::unique_ptr<EventLogCatalog> cat(new EventLogCatalog());
  cat->options_ = options;
  for (const std::string& dir : dirs) {
    auto found = DiscoverLogs(dir);
    if (!found.ok()) return found.status();
    for (LogSource& src : *found) {
      auto facts = server::ReadListingFacts(src);
      if (!facts.ok()) continue;
      Entry e;
      // As the loaded model gives them: the ApplicationStart's ids, else the name's.
      e.app_id = facts->app_id.empty() ? src.app_id : facts->app_id;
      if (e.app_id.empty()) continue;  // no ApplicationStart: the History Server lists nothing
      e.app_name = std::move(facts->app_name);
      AttemptSummary& s = e.summary;
      s.attempt_id = facts->attempt_id.empty() ? src.attempt_id : facts->attempt_id;
      s.start_time = facts->start_time;
      s.completed = facts->completed && !src.in_progress;
      s.end_time = s.completed ? facts->end_time : kNoTime;
      s.last_updated = src.mtime_ms;
      s.spark_user = std::move(facts->spark_user);
      s.app_spark_version = std::move(facts->spark_version);
      e.source = std::move(src);
      cat->entries_.push_back(std::move(e));
    }
  }
  // Group attempts into applications.
  std::map<std::string, std::vector<const Entry*>> by_app;
  for (const Entry& e : cat->entries_) by_app[e.app_id].push_back(&e);
  for (auto& [id, list] : by_app) {
    std::stable_sort(list.begin(), list.end(), [](const Entry* a, const Entry* b) {
      return a->summary.start_time > b->summary.start_time;
    });
    AppSummary app;
    app.id = id;
    app.name = list.front()->app_name;
    for (const Entry* e : list) app.attempts.push_back(e->summary);
    cat->apps_.push_back(std::move(app));
  }
  // FsHistoryProvider: index "endTime" (of the newest attempt), reversed; ties by id, reversed.
  std::sort(cat->apps_.begin(), cat->apps_.end(), [](const AppSummary& a, const AppSummary& b) {
    TimeMs ea = a.attempts.front().end_time, eb = b.attempts.front().end_time;
    if (ea != eb) return ea > eb;
    return a.id > b.id;
  });
  return cat;
}

std::vector<AppSummary> EventLogCatalog::ListApplications() const { return apps_; }

const EventLogCatalog::Entry* EventLogCatalog::Find(std::string_view app_id,
                                                    std::string_view attempt_id) const {
  for (const Entry& e : entries_) {
    if (e.app_id == app_id && e.summary.attempt_id == attempt_id) return &e;
  }
  return nullptr;
}

std::shared_ptr<const Application> EventLogCatalog::GetApplication(
    std::string_view app_id, std::string_view attempt_id) const {
  const Entry* e = Find(app_id, attempt_id);
  if (!e) return nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->first == e) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front().second;
      }
    }
  }
  // Load outside the lock; two concurrent first requests may both load (harmless).
  LoadOptions lo;
  lo.threads = options_.threads;
  lo.keep_task_accumulables = true;
  lo.keep_executor_metrics = true;
  ReadStats stats;
  auto app = LoadApplication(e->source, lo, nullptr, &stats);
  if (!app.ok()) return nullptr;
  auto ptr = std::make_shared<const Application>(std::move(*app));
  std::lock_guard<std::mutex> lock(mu_);
  cache_.emplace_front(e, ptr);
  while (cache_.size() > std::max<size_t>(1, options_.cache_size)) cache_.pop_back();
  return ptr;
}

std::vector<std::string> EventLogCatalog::LogFiles(std::string_view app_id,
                                                   std::string_view attempt_id) const {
  std::vector<std::string> out;
  if (const Entry* e = Find(app_id, attempt_id)) {
    for (const LogFile& f : e->source.files) out.push_back(f.path);
  }
  return out;
}

}  // namespace sparkmedic
