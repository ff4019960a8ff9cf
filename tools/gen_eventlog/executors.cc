// Executors of the simulation: pods added and removed, replacement after loss, dynamic
// allocation, the cluster-event queue and exclusion events (HealthTracker). See simulator.h.
#include <algorithm>

#include <fmt/format.h>

#include "simulator.h"
#include "spark_texts.h"

namespace sparkmedic::gen::internal {

// ---------------------------------------------------------------------------------------
// Executors

int Simulator::AliveExecutors() const {
  int n = 0;
  for (const Exec& e : execs_) n += e.alive ? 1 : 0;
  return n;
}

int Simulator::CreateExecutor(int host) {
  Exec x;
  x.id = std::to_string(next_exec_id_++);
  x.quoted_id = Quoted(x.id);
  if (host < 0) {
    // Kubernetes: every executor pod has its own IP, which Spark reports as its host.
    const int pod = next_pod_ip_++;
    x.host = pod;
    x.host_name = fmt::format("10.244.{}.{}", 1 + pod / 200, 10 + pod % 200);
  } else {
    x.host = host;
    x.host_name = fmt::format("10.0.{}.{}", host / 200, 10 + host % 200);
  }
  x.quoted_host = Quoted(x.host_name);
  x.port = static_cast<int>(rng_.Range(30000, 45999));
  x.max_memory = static_cast<int64_t>((kExecutorMemoryMb * 1048576.0 * 0.955 - 314572800.0) * 0.6) +
                 rng_.Range(0, 4096) * 64;
  execs_.push_back(std::move(x));
  return static_cast<int>(execs_.size()) - 1;
}

void Simulator::EmitExecutorAdded(int e, int64_t t) {
  Exec& x = execs_[e];
  x.alive = true;
  x.added = t;
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerExecutorAdded\",\"Timestamp\":");
  Int(line_, t);
  Raw(line_, ",\"Executor ID\":");
  Raw(line_, x.quoted_id);
  Raw(line_, ",\"Executor Info\":{\"Host\":");
  Raw(line_, x.quoted_host);
  Raw(line_, ",\"Total Cores\":");
  Int(line_, o_.cores);
  Raw(line_,
      ",\"Log Urls\":{},\"Attributes\":{},\"Resources\":{},\"Resource Profile "
      "Id\":0,\"Registration Time\":");
  Int(line_, t);
  Raw(line_, ",\"Request Time\":");
  Int(line_, t - rng_.Range(2500, 9000));
  Raw(line_, "}}");
  Emit(true, "SparkListenerExecutorAdded");
  ++m_->executors_added;
  Begin();
  Raw(line_,
      "{\"Event\":\"SparkListenerBlockManagerAdded\",\"Block Manager ID\":{\"Executor ID\":");
  Raw(line_, x.quoted_id);
  Raw(line_, ",\"Host\":");
  Raw(line_, x.quoted_host);
  Raw(line_, ",\"Port\":");
  Int(line_, x.port);
  Raw(line_, "},\"Maximum Memory\":");
  Int(line_, x.max_memory);
  Raw(line_, ",\"Timestamp\":");
  Int(line_, t + rng_.Range(15, 180));
  Raw(line_, ",\"Maximum Onheap Memory\":");
  Int(line_, x.max_memory);
  Raw(line_, ",\"Maximum Offheap Memory\":0}");
  Emit(true, "SparkListenerBlockManagerAdded");
}

void Simulator::EmitBlockManagerRemoved(int e, int64_t t) {
  const Exec& x = execs_[e];
  Begin();
  Raw(line_,
      "{\"Event\":\"SparkListenerBlockManagerRemoved\",\"Block Manager ID\":{\"Executor ID\":");
  Raw(line_, x.quoted_id);
  Raw(line_, ",\"Host\":");
  Raw(line_, x.quoted_host);
  Raw(line_, ",\"Port\":");
  Int(line_, x.port);
  Raw(line_, "},\"Timestamp\":");
  Int(line_, t);
  line_.push_back('}');
  Emit(true, "SparkListenerBlockManagerRemoved");
}

void Simulator::EmitExecutorRemoved(int e, const std::string& reason, const std::string& kind,
                                    int64_t t) {
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerExecutorRemoved\",\"Timestamp\":");
  Int(line_, t + 2);
  Raw(line_, ",\"Executor ID\":");
  Raw(line_, execs_[e].quoted_id);
  Raw(line_, ",\"Removed Reason\":");
  Str(line_, reason);
  line_.push_back('}');
  Emit(true, "SparkListenerExecutorRemoved");
  ++m_->executors_removed;
  ++m_->executors_removed_by_kind[kind];
}

void Simulator::ScheduleReplacement(int host, int64_t t) {
  // The Kubernetes allocator asks for a new pod; it registers some seconds later.
  exec_adds_.emplace(std::make_pair(t + rng_.Range(4000, 15000), seq_++),
                     o_.hosts > 0 ? host % o_.hosts : -1);
}

int64_t Simulator::NextClusterEvent() const {
  int64_t t = INT64_MAX;
  if (!exec_adds_.empty()) t = exec_adds_.begin()->first.first;
  if (!exec_losses_.empty()) t = std::min(t, exec_losses_.begin()->first.first);
  return t;
}

void Simulator::ProcessClusterEvents(int64_t until, TaskSet* ts) {
  for (;;) {
    const int64_t t = NextClusterEvent();
    if (t > until) return;
    if (!exec_adds_.empty() && exec_adds_.begin()->first.first == t) {
      const int host = exec_adds_.begin()->second;
      exec_adds_.erase(exec_adds_.begin());
      const int e = CreateExecutor(host);
      EmitExecutorAdded(e, t);
      if (ts != nullptr) {
        for (int c = 0; c < o_.cores; ++c) free_.push_back(e);
      }
    } else {
      const int e = exec_losses_.begin()->second;
      exec_losses_.erase(exec_losses_.begin());
      LoseExecutor(ts, e, "52", t);
    }
  }
}

void Simulator::EmitExclusion(const char* new_cls, const char* old_cls, const std::string& body) {
  // HealthTracker posts the deprecated "Blacklisted" event and its "Excluded" twin (3.1+).
  for (const char* cls : {old_cls, new_cls}) {
    const std::string name = std::string("org.apache.spark.scheduler.") + cls;
    Begin();
    Raw(line_, "{\"Event\":");
    Str(line_, name);
    line_.push_back(',');
    Raw(line_, body);
    line_.push_back('}');
    Emit(true, "exclusion");
    ++m_->exclusion_events[name];
  }
}

void Simulator::ApplyUnexclusions(int64_t t) {
  if (!o_.exclude_on_failure) return;
  for (Exec& x : execs_) {
    if (!x.excluded || x.excluded_until > t) continue;
    x.excluded = false;
    EmitExclusion("SparkListenerExecutorUnexcluded", "SparkListenerExecutorUnblacklisted",
                  fmt::format("\"time\":{},\"executorId\":{}", t, x.quoted_id));
  }
  for (auto it = node_excluded_until_.begin(); it != node_excluded_until_.end();) {
    if (it->second > t) {
      ++it;
      continue;
    }
    std::string host;
    for (const Exec& x : execs_) {
      if (x.host == it->first) host = x.quoted_host;
    }
    EmitExclusion("SparkListenerNodeUnexcluded", "SparkListenerNodeUnblacklisted",
                  fmt::format("\"time\":{},\"hostId\":{}", t, host));
    it = node_excluded_until_.erase(it);
  }
}

void Simulator::DynamicAllocationGap(int q) {
  const int queries = static_cast<int>(plan_.queries.size());
  const int period = std::max(5, queries / 8);  // at most ~8 idle gaps in a long application
  if (!o_.dynamic_allocation || q % period != 2 || q + 1 >= queries) return;
  // The driver works alone for a while (spark.dynamicAllocation.executorIdleTimeout=60s), so
  // idle executors are released, then requested again for the next query.
  now_ += 61000 + rng_.Range(0, 15000);
  int to_remove = std::max(1, AliveExecutors() / 4);
  for (int e = static_cast<int>(execs_.size()) - 1; e >= 0 && to_remove > 0; --e) {
    if (!execs_[e].alive || execs_[e].dying || AliveExecutors() <= 1) continue;
    execs_[e].alive = false;
    now_ += rng_.Range(3, 40);
    EmitBlockManagerRemoved(e, now_);
    EmitExecutorRemoved(e, "Executor killed by driver.", "dynamic-allocation", now_);
    const int host = execs_[e].host;
    exec_adds_.emplace(std::make_pair(now_ + 20000 + rng_.Range(1500, 6000), seq_++),
                       o_.hosts > 0 ? host : -1);
    --to_remove;
  }
}

}  // namespace sparkmedic::gen::internal
