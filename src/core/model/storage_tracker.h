// StorageTracker: block storage state (storage/rdd and the executors' rddBlocks, memoryUsed,
// diskUsed and used storage memory), replaying the rules of Spark's AppStatusListener
// (onStageSubmitted, onUnpersistRDD, onBlockUpdated → updateRDDBlock / updateBroadcastBlock /
// updateExecutorMemoryDiskInfo, onExecutorRemoved, onBlockManagerAdded) and LiveEntity
// (LiveRDD, LiveRDDPartition, LiveRDDDistribution).
//
// Why in the model builder and not at REST time: the answer depends on the interleaving of
// block updates with executor removals, block manager re-registrations and unpersists, and on
// when Spark computed each cached RDDDataDistribution; replaying it here, in log order, keeps
// only the final state (a few values per cached partition) instead of every block update.
#ifndef SPARKMEDIC_CORE_MODEL_STORAGE_TRACKER_H_
#define SPARKMEDIC_CORE_MODEL_STORAGE_TRACKER_H_

#include <algorithm>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sparkmedic/events.h"
#include "sparkmedic/model.h"

namespace sparkmedic {

// Not thread-safe. Costs nothing for logs without persisted RDDs or block updates beyond one
// small entry per executor.
class StorageTracker {
 public:
  void ExecutorAdded(const std::string& id, const std::string& host);
  void BlockManagerAdded(const BlockManagerAddedEvent& e);
  // Writes the executor's final storage values into `x` (Spark writes the LiveExecutor at its
  // removal and never again).
  void ExecutorRemoved(const std::string& id, Executor* x);
  void StageSubmitted(const std::vector<CachedRddInfo>& rdds);
  void Unpersist(int32_t rdd_id);
  void BlockUpdated(const BlockUpdatedEvent& e);
  // The state at the end of the log (AppStatusListener's flush when the store closes): live
  // executors' values into app->executors, live RDDs into app->rdds.
  void Finish(Application* app);

 private:
  struct LiveExec {
    std::string host, host_port;  // ExecutorAdded host; BlockManagerAdded host:port
    bool has_host_port = false;
    int64_t max_memory = 0;
    int64_t total_on_heap = -1, total_off_heap = 0, used_on_heap = 0, used_off_heap = 0;
    int64_t memory_used = 0, disk_used = 0;
    int32_t rdd_blocks = 0;
    bool HasMemoryInfo() const { return total_on_heap >= 0; }
  };
  struct Dist {
    std::string exec_id;
    int32_t hash = 0;  // Scala 2.13 mutable.HashMap's improved hash of exec_id
    uint64_t seq = 0;  // insertion order, for equal hashes
    int64_t memory_used = 0, disk_used = 0, on_heap_used = 0, off_heap_used = 0;
    std::optional<RddDataDistribution> last;  // LiveRDDDistribution.lastUpdate
  };
  struct LiveRdd {
    CachedRddInfo info;
    std::string level_description;
    int64_t memory_used = 0, disk_used = 0;
    std::list<RddPartitionInfo> partitions;  // RDDPartitionSeq: order of creation
    std::unordered_map<std::string, std::list<RddPartitionInfo>::iterator> by_block;
    std::vector<Dist> dists;    // unordered; Finish() sorts them as Spark iterates
    size_t dist_capacity = 16;  // Scala HashMap table length (grows, never shrinks)
    Dist* FindDist(const std::string& exec_id);
  };

  static int64_t AddDelta(int64_t old, int64_t delta) { return std::max<int64_t>(0, old + delta); }
  static void UpdateExecutorMemoryDisk(LiveExec* x, const StorageLevel& level, int64_t mem,
                                       int64_t disk);
  static void UpdatePartition(RddPartitionInfo* p, const StorageLevel& rdd_level,
                              std::vector<std::string> executors, int64_t mem, int64_t disk);
  Dist& GetOrCreateDist(LiveRdd* rdd, const std::string& exec_id);
  // LiveRDD.doUpdate as update(rdd) runs it: every distribution without a cached view gets
  // one from its executor's current values.
  void Write(LiveRdd* rdd);
  RddDataDistribution DistView(const Dist& d) const;
  LiveExec* Exec(const std::string& id);
  static void Store(const LiveExec& x, Executor* out);

  std::unordered_map<std::string, LiveExec> execs_;  // AppStatusListener.liveExecutors
  std::map<int32_t, LiveRdd> rdds_;                  // liveRDDs
  uint64_t next_seq_ = 0;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CORE_MODEL_STORAGE_TRACKER_H_
