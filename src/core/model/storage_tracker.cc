#include "core/model/storage_tracker.h"

#include <algorithm>
#include <utility>

namespace sparkmedic {

namespace {

// java.lang.String.hashCode over the UTF-16 code units of UTF-8 `s`.
int32_t JavaStringHash(std::string_view s) {
  uint32_t h = 0;
  auto unit = [&h](uint32_t u) { h = 31 * h + u; };
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t n = 1;
    if (c >= 0xF0 && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
           (s[i + 3] & 0x3Fu);
      n = 4;
    } else if (c >= 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      n = 3;
    } else if (c >= 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      n = 2;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
    i += n;
  }
  return static_cast<int32_t>(h);
}

// scala.collection.mutable.HashMap (2.13, Spark 4.x) improveHash: h ^ (h >>> 16).
int32_t ScalaImprovedHash(std::string_view key) {
  auto h = static_cast<uint32_t>(JavaStringHash(key));
  return static_cast<int32_t>(h ^ (h >> 16));
}

}  // namespace

StorageTracker::Dist* StorageTracker::LiveRdd::FindDist(const std::string& exec_id) {
  for (Dist& d : dists) {
    if (d.exec_id == exec_id) return &d;
  }
  return nullptr;
}

StorageTracker::LiveExec* StorageTracker::Exec(const std::string& id) {
  auto it = execs_.find(id);
  return it == execs_.end() ? nullptr : &it->second;
}

void StorageTracker::ExecutorAdded(const std::string& id, const std::string& host) {
  execs_[id].host = host;  // getOrCreateExecutor; exec.host = executorHost
}

void StorageTracker::BlockManagerAdded(const BlockManagerAddedEvent& e) {
  LiveExec& x = execs_[e.executor_id];
  x.host_port = e.host + ":" + std::to_string(e.port);
  x.has_host_port = true;
  if (e.max_onheap) {
    x.total_on_heap = *e.max_onheap;
    x.total_off_heap = e.max_offheap.value_or(0);
    // SPARK-30594: a (re-)registered block manager reports all its blocks again.
    x.used_on_heap = 0;
    x.used_off_heap = 0;
  }
  x.max_memory = e.max_memory;
}

void StorageTracker::Store(const LiveExec& x, Executor* out) {
  out->rdd_blocks = x.rdd_blocks;
  out->memory_used = x.memory_used;
  out->disk_used = x.disk_used;
  out->used_on_heap_storage = x.used_on_heap;
  out->used_off_heap_storage = x.used_off_heap;
}

void StorageTracker::ExecutorRemoved(const std::string& id, Executor* x) {
  auto it = execs_.find(id);
  if (it == execs_.end()) return;
  Store(it->second, x);
  execs_.erase(it);
  // Drop the executor's distributions, and its share of every partition it held: the whole
  // partition when it was the only holder, else memory/disk ÷ holders (integer division).
  for (auto& [rdd_id, rdd] : rdds_) {
    std::erase_if(rdd.dists, [&](const Dist& d) { return d.exec_id == id; });
    for (auto p = rdd.partitions.begin(); p != rdd.partitions.end();) {
      auto where = std::find(p->executors.begin(), p->executors.end(), id);
      if (where == p->executors.end()) {
        ++p;
        continue;
      }
      auto n = static_cast<int64_t>(p->executors.size());
      if (n == 1) {
        rdd.memory_used = AddDelta(rdd.memory_used, -p->memory_used);
        rdd.disk_used = AddDelta(rdd.disk_used, -p->disk_used);
        rdd.by_block.erase(p->block_name);
        p = rdd.partitions.erase(p);
        continue;
      }
      int64_t mem_share = p->memory_used / n, disk_share = p->disk_used / n;
      rdd.memory_used = AddDelta(rdd.memory_used, -mem_share);
      rdd.disk_used = AddDelta(rdd.disk_used, -disk_share);
      std::vector<std::string> rest = p->executors;
      rest.erase(rest.begin() + (where - p->executors.begin()));
      UpdatePartition(&*p, rdd.info.level, std::move(rest), AddDelta(p->memory_used, -mem_share),
                      AddDelta(p->disk_used, -disk_share));
      ++p;
    }
    Write(&rdd);
  }
}

void StorageTracker::StageSubmitted(const std::vector<CachedRddInfo>& rdds) {
  for (const CachedRddInfo& info : rdds) {
    // liveRDDs.getOrElseUpdate: the first stage that shows the RDD persisted names it.
    auto [it, inserted] = rdds_.try_emplace(info.id);
    if (!inserted) continue;
    it->second.info = info;
    it->second.level_description = info.level.Description();
  }
}

void StorageTracker::Unpersist(int32_t rdd_id) {
  auto it = rdds_.find(rdd_id);
  if (it == rdds_.end()) return;
  LiveRdd& rdd = it->second;
  for (const RddPartitionInfo& p : rdd.partitions) {
    for (const std::string& e : p.executors) {
      if (LiveExec* x = Exec(e)) x->rdd_blocks -= 1;
    }
  }
  for (const Dist& d : rdd.dists) {
    LiveExec* x = Exec(d.exec_id);
    if (!x) continue;
    if (x->HasMemoryInfo()) {
      if (rdd.info.level.use_off_heap) {
        x->used_off_heap = AddDelta(x->used_off_heap, -d.off_heap_used);
      } else {
        x->used_on_heap = AddDelta(x->used_on_heap, -d.on_heap_used);
      }
    }
    x->memory_used = AddDelta(x->memory_used, -d.memory_used);
    x->disk_used = AddDelta(x->disk_used, -d.disk_used);
  }
  rdds_.erase(it);
}

void StorageTracker::UpdateExecutorMemoryDisk(LiveExec* x, const StorageLevel& level, int64_t mem,
                                              int64_t disk) {
  if (x->HasMemoryInfo()) {
    if (level.use_off_heap) {
      x->used_off_heap = AddDelta(x->used_off_heap, mem);
    } else {
      x->used_on_heap = AddDelta(x->used_on_heap, mem);
    }
  }
  x->memory_used = AddDelta(x->memory_used, mem);
  x->disk_used = AddDelta(x->disk_used, disk);
}

void StorageTracker::UpdatePartition(RddPartitionInfo* p, const StorageLevel& rdd_level,
                                     std::vector<std::string> executors, int64_t mem,
                                     int64_t disk) {
  // LiveRDDPartition.update: the effective level of what the executors actually hold.
  StorageLevel level;
  level.use_disk = disk > 0;
  level.use_memory = mem > 0;
  level.use_off_heap = rdd_level.use_off_heap;
  level.deserialized = mem > 0 ? rdd_level.deserialized : false;
  level.replication = static_cast<int32_t>(executors.size());
  p->storage_level = level.Description();
  p->memory_used = mem;
  p->disk_used = disk;
  p->executors = std::move(executors);
}

StorageTracker::Dist& StorageTracker::GetOrCreateDist(LiveRdd* rdd, const std::string& exec_id) {
  if (Dist* d = rdd->FindDist(exec_id)) return *d;
  // HashMap.getOrElseUpdate grows the table (×2) before an insert that reaches 3/4 of it.
  if (rdd->dists.size() + 1 >= rdd->dist_capacity * 3 / 4) rdd->dist_capacity *= 2;
  Dist& d = rdd->dists.emplace_back();
  d.exec_id = exec_id;
  d.hash = ScalaImprovedHash(exec_id);
  d.seq = next_seq_++;
  return d;
}

RddDataDistribution StorageTracker::DistView(const Dist& d) const {
  RddDataDistribution v;
  auto it = execs_.find(d.exec_id);
  if (it == execs_.end()) return v;  // never: a removed executor's distributions are dropped
  const LiveExec& x = it->second;
  if (x.has_host_port) {
    v.address = x.host_port;
  } else if (!x.host.empty()) {
    v.address = x.host;
  }
  v.memory_used = d.memory_used;
  v.memory_remaining = x.max_memory - x.memory_used;
  v.disk_used = d.disk_used;
  if (x.HasMemoryInfo()) {
    v.on_heap_memory_used = d.on_heap_used;
    v.off_heap_memory_used = d.off_heap_used;
    v.on_heap_memory_remaining = x.total_on_heap - x.used_on_heap;
    v.off_heap_memory_remaining = x.total_off_heap - x.used_off_heap;
  }
  return v;
}

void StorageTracker::Write(LiveRdd* rdd) {
  // LiveRDDDistribution.toApi keeps its view until updateRDDBlock clears it; so a broadcast
  // block or an unpersist that changes the executor's memory leaves the remaining-memory
  // figures of other RDDs' views as they were, as in Spark.
  for (Dist& d : rdd->dists) {
    if (!d.last) d.last = DistView(d);
  }
}

void StorageTracker::BlockUpdated(const BlockUpdatedEvent& e) {
  // Whether values are being added to or removed from the accounting: the new level says.
  const StorageLevel& level = e.level;
  int64_t disk_delta = e.disk_size * (level.use_disk ? 1 : -1);
  int64_t mem_delta = e.memory_size * (level.use_memory ? 1 : -1);
  LiveExec* x = Exec(e.executor_id);
  if (e.kind == BlockUpdatedEvent::BlockKind::kBroadcast) {  // updateBroadcastBlock
    if (x) UpdateExecutorMemoryDisk(x, level, mem_delta, disk_delta);
    return;
  }
  // updateRDDBlock: the executor first, since the distributions read its free memory.
  if (x) UpdateExecutorMemoryDisk(x, level, mem_delta, disk_delta);
  int32_t blocks_delta = 0;
  auto rit = rdds_.find(e.rdd_id);
  if (rit != rdds_.end()) {
    LiveRdd& rdd = rit->second;
    std::string block = "rdd_" + std::to_string(e.rdd_id) + "_" + std::to_string(e.split);
    auto pit = rdd.by_block.find(block);
    if (pit == rdd.by_block.end()) {
      rdd.partitions.emplace_back();
      auto li = std::prev(rdd.partitions.end());
      li->block_name = block;
      UpdatePartition(&*li, rdd.info.level, {}, 0, 0);
      pit = rdd.by_block.emplace(block, li).first;
    }
    RddPartitionInfo& part = *pit->second;
    std::vector<std::string> executors = part.executors;
    if (level.IsValid()) {
      if (std::find(executors.begin(), executors.end(), e.executor_id) == executors.end()) {
        blocks_delta = 1;
        executors.push_back(e.executor_id);
      }
    } else {
      blocks_delta = -1;  // even when this executor did not hold it, as Spark does
      std::erase(executors, e.executor_id);
    }
    if (!executors.empty()) {
      UpdatePartition(&part, rdd.info.level, std::move(executors),
                      AddDelta(part.memory_used, mem_delta), AddDelta(part.disk_used, disk_delta));
    } else {
      rdd.partitions.erase(pit->second);
      rdd.by_block.erase(pit);
    }
    if (x) {
      // exec.rddBlocks counts the executor's blocks of every RDD, not only this one.
      if (x->rdd_blocks + blocks_delta > 0) {
        Dist& d = GetOrCreateDist(&rdd, e.executor_id);
        d.memory_used = AddDelta(d.memory_used, mem_delta);
        d.disk_used = AddDelta(d.disk_used, disk_delta);
        if (x->HasMemoryInfo()) {
          if (level.use_off_heap) {
            d.off_heap_used = AddDelta(d.off_heap_used, mem_delta);
          } else {
            d.on_heap_used = AddDelta(d.on_heap_used, mem_delta);
          }
        }
        d.last.reset();
      } else {
        std::erase_if(rdd.dists, [&](const Dist& d) { return d.exec_id == e.executor_id; });
      }
      // Other RDDs on this executor get a fresh view of its free memory.
      for (auto& [other_id, other] : rdds_) {
        if (other_id == e.rdd_id) continue;
        if (Dist* od = other.FindDist(e.executor_id)) {
          od->last.reset();
          Write(&other);
        }
      }
    }
    rdd.memory_used = AddDelta(rdd.memory_used, mem_delta);
    rdd.disk_used = AddDelta(rdd.disk_used, disk_delta);
    Write(&rdd);
  }
  if (x) x->rdd_blocks += blocks_delta;
}

void StorageTracker::Finish(Application* app) {
  for (const auto& [id, x] : execs_) {
    auto it = app->executors.find(id);
    if (it != app->executors.end()) Store(x, &it->second);
  }
  for (auto& [id, rdd] : rdds_) {
    Write(&rdd);
    RddStorage& out = app->rdds[id];
    out.id = id;
    out.name = rdd.info.name;
    out.num_partitions = rdd.info.num_partitions;
    out.storage_level = rdd.level_description;
    out.memory_used = rdd.memory_used;
    out.disk_used = rdd.disk_used;
    out.partitions.assign(rdd.partitions.begin(), rdd.partitions.end());
    // LiveRDD.doUpdate: distributions.values, a Scala 2.13 HashMap's iteration order: table
    // slot (hash & (length − 1)), then hash, then insertion within a slot.
    std::vector<const Dist*> order;
    for (const Dist& d : rdd.dists) order.push_back(&d);
    const auto mask = static_cast<uint32_t>(rdd.dist_capacity - 1);
    std::sort(order.begin(), order.end(), [mask](const Dist* a, const Dist* b) {
      auto sa = static_cast<uint32_t>(a->hash) & mask, sb = static_cast<uint32_t>(b->hash) & mask;
      if (sa != sb) return sa < sb;
      if (a->hash != b->hash) return a->hash < b->hash;
      return a->seq < b->seq;
    });
    for (const Dist* d : order) out.distributions.push_back(*d->last);
  }
}

}  // namespace sparkmedic
