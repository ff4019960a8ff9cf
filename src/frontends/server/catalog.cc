// EventLogCatalog: discovery + cheap listing reads + rescans + an LRU cache of loaded attempts.
//
// The list lives in an immutable Snapshot behind a shared_ptr: readers copy the pointer under
// the mutex and work on their copy, a rescan builds a new snapshot (reusing the entries of
// unchanged logs) and swaps it in. Entries are shared_ptrs too, so a request that found an
// entry keeps it valid however many rescans happen while it loads the model.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "sparkmedic/rest_api.h"

#include "frontends/server/listing.h"

namespace sparkmedic {

// One log found by discovery: its files and, when it could be read and names an application,
// its line in the list. Immutable once published.
struct EventLogCatalog::Entry {
  LogSource source;
  bool listed = false;  // false: the log cannot be read or names no application
  std::string app_id, app_name;
  AttemptSummary summary;
};

struct EventLogCatalog::Snapshot {
  // Every log found, per directory (in the order of Open's `dirs`), in discovery order.
  std::vector<std::vector<std::shared_ptr<const Entry>>> per_dir;
  // The listed entries in that order; `index` maps app id + '\0' + attempt id to the first.
  std::vector<std::shared_ptr<const Entry>> listed;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> index;
  std::vector<AppSummary> apps;  // in the History Server's order
};

struct EventLogCatalog::Watcher {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
};

namespace {

std::string Key(std::string_view app_id, std::string_view attempt_id) {
  std::string k(app_id);
  k += '\0';
  k += attempt_id;
  return k;
}

// Whether discovery sees the same files as when `a` was read. Sizes and modification times
// are what a growing log, a new rolling part or a finished marker changes.
bool SameFiles(const LogSource& a, const LogSource& b) {
  if (a.layout != b.layout || a.in_progress != b.in_progress || a.mtime_ms != b.mtime_ms ||
      a.total_size != b.total_size || a.files.size() != b.files.size()) {
    return false;
  }
  for (size_t i = 0; i < a.files.size(); ++i) {
    if (a.files[i].path != b.files[i].path || a.files[i].size != b.files[i].size) return false;
  }
  return true;
}

template <typename Entry>
std::shared_ptr<const Entry> ReadEntry(LogSource src) {
  auto e = std::make_shared<Entry>();
  auto facts = server::ReadListingFacts(src);
  if (facts.ok()) {
    // As the loaded model gives them: the ApplicationStart's ids, else the name's.
    e->app_id = facts->app_id.empty() ? src.app_id : facts->app_id;
    // No id at all (no ApplicationStart, a name that gives none): the History Server lists
    // nothing.
    e->listed = !e->app_id.empty();
    e->app_name = std::move(facts->app_name);
    AttemptSummary& s = e->summary;
    s.attempt_id = facts->attempt_id.empty() ? src.attempt_id : facts->attempt_id;
    s.start_time = facts->start_time;
    s.completed = facts->completed && !src.in_progress;
    s.end_time = s.completed ? facts->end_time : kNoTime;
    s.last_updated = src.mtime_ms;
    s.spark_user = std::move(facts->spark_user);
    s.app_spark_version = std::move(facts->spark_version);
  }
  e->source = std::move(src);
  return e;
}

// Runs fn(i) for i in [0, n) on up to `threads` threads (0: every core).
template <typename Fn>
void ParallelFor(size_t n, int threads, Fn&& fn) {
  size_t t = threads > 0 ? static_cast<size_t>(threads)
                         : std::max(1u, std::thread::hardware_concurrency());
  t = std::min(t, n);
  if (t <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (size_t k = 1; k < t; ++k) pool.emplace_back(work);
  work();
  for (std::thread& th : pool) th.join();
}

}  // namespace

EventLogCatalog::EventLogCatalog() : snapshot_(std::make_shared<Snapshot>()) {}

EventLogCatalog::~EventLogCatalog() {
  if (watcher_) {
    {
      std::lock_guard<std::mutex> lock(watcher_->mu);
      watcher_->stop = true;
    }
    watcher_->cv.notify_all();
    watcher_->thread.join();
  }
}

Result<std::unique_ptr<EventLogCatalog>> EventLogCatalog::Open(const std::vector<std::string>& dirs,
                                                               const Options& options) {
  std::unique_ptr<EventLogCatalog> cat(new EventLogCatalog());
  cat->options_ = options;
  cat->dirs_ = dirs;
  Status error;
  cat->ScanAndPublish(/*initial=*/true, &error);
  if (!error.ok()) return error;
  if (options.poll_interval_ms > 0) {
    cat->watcher_ = std::make_unique<Watcher>();
    Watcher* w = cat->watcher_.get();
    EventLogCatalog* self = cat.get();
    const auto interval = std::chrono::milliseconds(options.poll_interval_ms);
    w->thread = std::thread([w, self, interval] {
      for (;;) {
        {
          std::unique_lock<std::mutex> lock(w->mu);
          if (w->cv.wait_for(lock, interval, [w] { return w->stop; })) return;
        }
        self->Rescan();
      }
    });
  }
  return cat;
}

EventLogCatalog::RescanStats EventLogCatalog::Rescan() { return ScanAndPublish(false, nullptr); }

EventLogCatalog::RescanStats EventLogCatalog::ScanAndPublish(bool initial, Status* error) {
  std::lock_guard<std::mutex> scan_lock(rescan_mu_);
  RescanStats stats;
  std::shared_ptr<const Snapshot> old = CurrentSnapshot();
  std::unordered_map<std::string, const std::shared_ptr<const Entry>*> old_by_path;
  for (const auto& list : old->per_dir) {
    for (const auto& e : list) old_by_path.emplace(e->source.path, &e);
  }

  auto snap = std::make_shared<Snapshot>();
  snap->per_dir.resize(dirs_.size());
  struct Pending {
    size_t dir, slot;
    LogSource source;
    std::shared_ptr<const Entry> entry;
  };
  std::vector<Pending> pending;
  std::unordered_set<std::string> seen;
  for (size_t d = 0; d < dirs_.size(); ++d) {
    auto found = DiscoverLogs(dirs_[d]);
    if (!found.ok()) {
      if (initial) {
        *error = found.status();
        return stats;
      }
      stats.errors.push_back(found.status());
      if (d < old->per_dir.size()) snap->per_dir[d] = old->per_dir[d];
      for (const auto& e : snap->per_dir[d]) seen.insert(e->source.path);
      continue;
    }
    for (LogSource& src : *found) {
      seen.insert(src.path);
      auto it = old_by_path.find(src.path);
      if (it != old_by_path.end() && SameFiles((*it->second)->source, src)) {
        snap->per_dir[d].push_back(*it->second);
        ++stats.unchanged;
        continue;
      }
      ++(it == old_by_path.end() ? stats.added : stats.changed);
      pending.push_back(Pending{d, snap->per_dir[d].size(), std::move(src), nullptr});
      snap->per_dir[d].push_back(nullptr);
    }
  }
  for (const auto& [path, e] : old_by_path) {
    if (!seen.count(path)) ++stats.removed;
  }
  // The listing reads, in parallel: independent logs, each read by one thread.
  ParallelFor(pending.size(), options_.threads,
              [&](size_t i) { pending[i].entry = ReadEntry<Entry>(std::move(pending[i].source)); });
  for (Pending& p : pending) snap->per_dir[p.dir][p.slot] = std::move(p.entry);

  // Group attempts into applications.
  std::map<std::string, std::vector<const Entry*>> by_app;
  for (const auto& list : snap->per_dir) {
    for (const auto& e : list) {
      if (!e->listed) continue;
      snap->listed.push_back(e);
      snap->index.emplace(Key(e->app_id, e->summary.attempt_id), e);
      by_app[e->app_id].push_back(e.get());
    }
  }
  for (auto& [id, list] : by_app) {
    std::stable_sort(list.begin(), list.end(), [](const Entry* a, const Entry* b) {
      return a->summary.start_time > b->summary.start_time;
    });
    AppSummary app;
    app.id = id;
    app.name = list.front()->app_name;
    for (const Entry* e : list) app.attempts.push_back(e->summary);
    snap->apps.push_back(std::move(app));
  }
  // FsHistoryProvider: index "endTime" (of the newest attempt), reversed; ties by id, reversed.
  std::sort(snap->apps.begin(), snap->apps.end(), [](const AppSummary& a, const AppSummary& b) {
    TimeMs ea = a.attempts.front().end_time, eb = b.attempts.front().end_time;
    if (ea != eb) return ea > eb;
    return a.id > b.id;
  });

  // Publish; cached models of entries that are no longer listed (changed, gone) are dropped.
  std::unordered_set<const Entry*> live;
  for (const auto& e : snap->listed) live.insert(e.get());
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(snap);
  cache_.remove_if([&](const auto& item) { return !live.count(item.first.get()); });
  return stats;
}

std::shared_ptr<const EventLogCatalog::Snapshot> EventLogCatalog::CurrentSnapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

std::vector<AppSummary> EventLogCatalog::ListApplications() const {
  return CurrentSnapshot()->apps;
}

std::shared_ptr<const EventLogCatalog::Entry> EventLogCatalog::Find(
    std::string_view app_id, std::string_view attempt_id) const {
  std::shared_ptr<const Snapshot> snap = CurrentSnapshot();
  auto it = snap->index.find(Key(app_id, attempt_id));
  return it == snap->index.end() ? nullptr : it->second;
}

std::shared_ptr<const Application> EventLogCatalog::GetApplication(
    std::string_view app_id, std::string_view attempt_id) const {
  std::shared_ptr<const Entry> e = Find(app_id, attempt_id);
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
  // Cache it only if a rescan has not replaced the entry meanwhile (the model is still the
  // answer to this request).
  auto cur = snapshot_->index.find(Key(app_id, attempt_id));
  if (cur == snapshot_->index.end() || cur->second != e) return ptr;
  for (const auto& item : cache_) {
    if (item.first == e) return item.second;  // a concurrent request cached it first
  }
  cache_.emplace_front(e, ptr);
  while (cache_.size() > std::max<size_t>(1, options_.cache_size)) cache_.pop_back();
  return ptr;
}

std::vector<std::string> EventLogCatalog::LogFiles(std::string_view app_id,
                                                   std::string_view attempt_id) const {
  std::vector<std::string> out;
  if (std::shared_ptr<const Entry> e = Find(app_id, attempt_id)) {
    for (const LogFile& f : e->source.files) out.push_back(f.path);
  }
  return out;
}

}  // namespace sparkmedic
