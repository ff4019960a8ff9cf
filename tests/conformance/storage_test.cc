// storage/rdd, storage/rdd/{id} and the executors' storage fields from a hand-written log with
// SparkListenerBlockUpdated events (spark.eventLog.logBlockUpdates.enabled). Every expected
// number is derived by hand from AppStatusListener (updateRDDBlock, updateBroadcastBlock,
// updateExecutorMemoryDiskInfo, onUnpersistRDD) and LiveEntity (LiveRDD, LiveRDDPartition,
// LiveRDDDistribution); the comments show the arithmetic.
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sparkmedic/rest_api.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

using json = nlohmann::json;

const char* kApp = "applications/app-20240101000000-0002";

// A "Storage Level" object.
std::string Level(bool disk, bool memory, bool deserialized, int replication = 1) {
  return fmt::format(R"({{"Use Disk":{},"Use Memory":{},"Use Off Heap":false,"Deserialized":{},)"
                     R"("Replication":{}}})",
                     disk, memory, deserialized, replication);
}

std::string RddInfo(int id, const char* name, const std::string& level, int partitions) {
  return fmt::format(
      R"({{"RDD ID":{},"Name":"{}","Scope":"{{\"id\":\"1\",\"name\":\"x\"}}","Callsite":"c",)"
      R"("Parent IDs":[],"Storage Level":{},"Barrier":false,"DeterministicLevel":"DETERMINATE",)"
      R"("Number of Partitions":{},"Number of Cached Partitions":0,"Memory Size":0,)"
      R"("Disk Size":0}})",
      id, name, level, partitions);
}

std::string BlockUpdated(const char* exec, int port, const char* block, const std::string& level,
                         long mem, long disk) {
  return fmt::format(
      R"({{"Event":"SparkListenerBlockUpdated","Block Updated Info":{{"Block Manager ID":)"
      R"({{"Executor ID":"{}","Host":"host-{}","Port":{}}},"Block ID":"{}",)"
      R"("Storage Level":{},"Memory Size":{},"Disk Size":{}}}}})",
      exec, exec, port, block, level, mem, disk);
}

std::string BlockManagerAdded(const char* exec, int port, long max, long on, long off) {
  return fmt::format(
      R"({{"Event":"SparkListenerBlockManagerAdded","Block Manager ID":{{"Executor ID":"{}",)"
      R"("Host":"host-{}","Port":{}}},"Maximum Memory":{},"Timestamp":1010,)"
      R"("Maximum Onheap Memory":{},"Maximum Offheap Memory":{}}})",
      exec, exec, port, max, on, off);
}

std::string ExecutorAdded(const char* exec) {
  return fmt::format(
      R"({{"Event":"SparkListenerExecutorAdded","Timestamp":1005,"Executor ID":"{}",)"
      R"("Executor Info":{{"Host":"host-{}","Total Cores":2,"Log Urls":{{}}}}}})",
      exec, exec);
}

std::string StorageLog() {
  const std::string memory_deser = Level(false, true, true);  // a block held in memory
  const std::string stage =
      R"({"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"count","Number of Tasks":4,)"
      R"("RDD Info":[)" +
      RddInfo(5, "cached", Level(true, true, true), 4) + "," +     // MEMORY_AND_DISK
      RddInfo(4, "parent", Level(false, false, false), 4) + "," +  // not persisted: not kept
      RddInfo(7, "other", Level(false, true, true), 2) + "," +     // MEMORY_ONLY
      RddInfo(9, "never", Level(true, false, false), 3) +          // DISK_ONLY, never stored
      R"(],"Parent IDs":[],"Details":"","Submission Time":1100,"Accumulables":[]})";
  std::vector<std::string> lines = {
      R"({"Event":"SparkListenerLogStart","Spark Version":"3.5.1"})",
      R"({"Event":"SparkListenerApplicationStart","App Name":"storage",)"
      R"("App ID":"app-20240101000000-0002","Timestamp":1000,"User":"u"})",
      ExecutorAdded("1"), ExecutorAdded("2"), BlockManagerAdded("1", 7001, 10000, 8000, 2000),
      BlockManagerAdded("2", 7002, 6000, 6000, 0),
      R"({"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1100,"Stage Infos":[)" +
          stage + R"(],"Stage IDs":[0],"Properties":{}})",
      R"({"Event":"SparkListenerStageSubmitted","Stage Info":)" + stage + R"(,"Properties":{}})",
      // 1. rdd_5_0 in memory on 1 (1000).
      BlockUpdated("1", 7001, "rdd_5_0", memory_deser, 1000, 0),
      // 2. rdd_5_1 in memory on 2 (600).
      BlockUpdated("2", 7002, "rdd_5_1", memory_deser, 600, 0),
      // 3. rdd_5_2 in memory on 1 (400).
      BlockUpdated("1", 7001, "rdd_5_2", memory_deser, 400, 0),
      // 4. rdd_7_0 in memory on 2 (300).
      BlockUpdated("2", 7002, "rdd_7_0", memory_deser, 300, 0),
      // 5. rdd_5_0 evicted to disk on 1: the dropped memory size (1000) with a level without
      //    memory, and its disk size (800).
      BlockUpdated("1", 7001, "rdd_5_0", Level(true, false, false), 1000, 800),
      // 6. rdd_5_1 dropped on 2: no level, the dropped memory size (600).
      BlockUpdated("2", 7002, "rdd_5_1", Level(false, false, false), 600, 0),
      // 7. RDD 7 unpersisted.
      R"({"Event":"SparkListenerUnpersistRDD","RDD ID":7})",
      // 8. A broadcast piece in memory on 1 (50).
      BlockUpdated("1", 7001, "broadcast_0_piece0", memory_deser, 50, 0),
      // A stream block changes nothing here.
      BlockUpdated("2", 7002, "input-0-1", memory_deser, 70, 0),
      R"({"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":1800,)"
      R"("Job Result":{"Result":"JobSucceeded"}})",
      R"({"Event":"SparkListenerApplicationEnd","Timestamp":2000})"};
  std::string log;
  for (const std::string& l : lines) log += l + "\n";
  return log;
}

class RestStorage : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteFileOrDie(dir_ / "app-20240101000000-0002", StorageLog());
    auto cat = EventLogCatalog::Open({dir_.path().string()}, {});
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    cat_ = std::move(*cat);
  }
  RestResponse Raw(const std::string& endpoint) {
    return HandleRest(*cat_, std::string(kApp) + "/" + endpoint, {});
  }
  json Get(const std::string& endpoint) {
    RestResponse r = Raw(endpoint);
    EXPECT_EQ(r.status, 200) << endpoint << ": " << r.body;
    return r.status == 200 ? json::parse(r.body) : json();
  }
  json Executor(const std::string& endpoint, const std::string& id) {
    for (const json& x : Get(endpoint)) {
      if (x["id"] == id) return x;
    }
    ADD_FAILURE() << "no executor " << id << " in " << endpoint;
    return json();
  }

  testing::ScratchDir dir_;
  std::unique_ptr<EventLogCatalog> cat_;
};

// RDD 5 step by step (exec 1: max 10000, on-heap 8000, off-heap 2000; exec 2: 6000/6000/0).
// Deltas are size × (+1 if the new level uses memory/disk, else −1), clamped at 0.
//  1. exec1 mem 0+1000=1000; rdd_5_0 [1] 1000/0; exec1.rddBlocks 0+1 > 0 → dist(5,1) 1000,
//     view: remaining 10000−1000=9000, on-heap remaining 8000−1000=7000. rdd mem 1000.
//  2. exec2 mem 600; rdd_5_1 [2] 600/0; dist(5,2) 600, view 6000−600=5400. rdd mem 1600.
//  3. exec1 mem 1400; rdd_5_2 [1] 400/0; dist(5,1) 1400, view 10000−1400=8600. rdd mem 2000.
//  4. (RDD 7) exec2 mem 900; dist(7,2) 300; RDD 5 has a distribution on 2, so its view is
//     refreshed: remaining 6000−900=5100, on-heap 6000−900=5100.
//  5. memory delta −1000, disk +800: exec1 mem 400, disk 800; rdd_5_0 0/800, level
//     (disk, no memory → serialized, 1 holder) "Disk Serialized 1x Replicated"; dist(5,1)
//     mem 1400−1000=400, disk 800, on-heap 400; view 10000−400=9600, 8000−400=7600.
//     rdd mem 2000−1000=1000, disk 800.
//  6. invalid level: memory delta −600, blocks delta −1; rdd_5_1 has no holder left and is
//     removed; exec2.rddBlocks 2−1=1 > 0, so dist(5,2) stays, mem 600−600=0; exec2 mem
//     900−600=300; view 6000−300=5700 (RDD 7's too). rdd mem 1000−600=400, disk 800.
//  7. unpersist 7: exec2.rddBlocks 1−1=0; exec2 mem 300−300=0, on-heap 0. No RDD view is
//     refreshed: dist(5,2) keeps remaining 5700.
//  8. broadcast: exec1 mem 400+50=450, on-heap 450; no RDD view is refreshed either:
//     dist(5,1) keeps remaining 9600 / on-heap 7600.
TEST_F(RestStorage, RddDetailFollowsAppStatusListener) {
  RestResponse r = Raw("storage/rdd/5");
  ASSERT_EQ(r.status, 200) << r.body;
  // Field order, absent-vs-null and integer types as Jackson prints RDDStorageInfo.
  EXPECT_EQ(r.body, R"({
  "id" : 5,
  "name" : "cached",
  "numPartitions" : 4,
  "numCachedPartitions" : 2,
  "storageLevel" : "Disk Memory Deserialized 1x Replicated",
  "memoryUsed" : 400,
  "diskUsed" : 800,
  "dataDistribution" : [ {
    "address" : "host-1:7001",
    "memoryUsed" : 400,
    "memoryRemaining" : 9600,
    "diskUsed" : 800,
    "onHeapMemoryUsed" : 400,
    "offHeapMemoryUsed" : 0,
    "onHeapMemoryRemaining" : 7600,
    "offHeapMemoryRemaining" : 2000
  }, {
    "address" : "host-2:7002",
    "memoryUsed" : 0,
    "memoryRemaining" : 5700,
    "diskUsed" : 0,
    "onHeapMemoryUsed" : 0,
    "offHeapMemoryUsed" : 0,
    "onHeapMemoryRemaining" : 5700,
    "offHeapMemoryRemaining" : 0
  } ],
  "partitions" : [ {
    "blockName" : "rdd_5_0",
    "storageLevel" : "Disk Serialized 1x Replicated",
    "memoryUsed" : 0,
    "diskUsed" : 800,
    "executors" : [ "1" ]
  }, {
    "blockName" : "rdd_5_2",
    "storageLevel" : "Memory Deserialized 1x Replicated",
    "memoryUsed" : 400,
    "diskUsed" : 0,
    "executors" : [ "1" ]
  } ]
})");
}

TEST_F(RestStorage, ListHasOnlyCachedRdds) {
  // rddList(cachedOnly = true): 7 was unpersisted, 9 has no cached partition, 4 was never
  // persisted.
  json list = Get("storage/rdd");
  ASSERT_EQ(list.size(), 1u) << list.dump(1);
  EXPECT_EQ(list[0], Get("storage/rdd/5"));
}

TEST_F(RestStorage, RddByIdWithoutCachedPartitionsAndMissing) {
  // AppStatusStore.rdd has no cached-only filter: 9 is there, without dataDistribution.
  json r9 = Get("storage/rdd/9");
  EXPECT_EQ(r9["name"], "never");
  EXPECT_EQ(r9["numPartitions"], 3);
  EXPECT_EQ(r9["numCachedPartitions"], 0);
  EXPECT_EQ(r9["storageLevel"], "Disk Serialized 1x Replicated");
  EXPECT_FALSE(r9.contains("dataDistribution"));
  EXPECT_EQ(r9["partitions"], json::array());
  for (const char* id : {"7", "4"}) {
    RestResponse r = Raw(std::string("storage/rdd/") + id);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, std::string("no rdd found w/ id ") + id);
  }
  // Not "\d+": Jersey matches no resource.
  EXPECT_EQ(Raw("storage/rdd/x").status, 404);
  EXPECT_EQ(Raw("storage/rdd/x").body, "");
  EXPECT_EQ(Raw("storage/rdd/-5").body, "");
}

TEST_F(RestStorage, ExecutorStorageFields) {
  // Executor 1: blocks rdd_5_0 and rdd_5_2; memory 1000+400−1000+50 = 450 (all on heap),
  // disk 800.
  for (const char* endpoint : {"executors", "allexecutors"}) {
    json x1 = Executor(endpoint, "1");
    EXPECT_EQ(x1["rddBlocks"], 2);
    EXPECT_EQ(x1["memoryUsed"], 450);
    EXPECT_EQ(x1["diskUsed"], 800);
    EXPECT_EQ(x1["maxMemory"], 10000);
    EXPECT_EQ(x1["memoryMetrics"], (json{{"usedOnHeapStorageMemory", 450},
                                         {"usedOffHeapStorageMemory", 0},
                                         {"totalOnHeapStorageMemory", 8000},
                                         {"totalOffHeapStorageMemory", 2000}}));
    // Executor 2: 600+300−600 = 300, then −300 at the unpersist; blocks 1+1−1−1 = 0. The
    // stream block (input-0-1) is not counted (updateStreamBlock keeps no executor totals).
    json x2 = Executor(endpoint, "2");
    EXPECT_EQ(x2["rddBlocks"], 0);
    EXPECT_EQ(x2["memoryUsed"], 0);
    EXPECT_EQ(x2["diskUsed"], 0);
    EXPECT_EQ(x2["memoryMetrics"]["usedOnHeapStorageMemory"], 0);
  }
}

// Distributions in Scala 2.13 HashMap order, and an executor's removal (onExecutorRemoved).
// Executors 9, 10, 11 (max 5000, on-heap 4000, off-heap 1000); RDD 3 MEMORY_ONLY_2.
//  a. rdd_3_0 on 10 (500): dist(3,10) 500, view 5000−500=4500, on-heap 4000−500=3500.
//  b. rdd_3_0 on 9 (500): rdd_3_0 [10, 9] 1000, "2x"; dist(3,9) 500.
//  c. rdd_3_1 on 11 (200), d. rdd_3_1 on 9 (200): rdd_3_1 [11, 9] 400; dist(3,9) 700, view
//     5000−700=4300, 4000−700=3300 (dist(3,10) keeps its view from a).
//  e. rdd_3_2 on 11 (300): rdd_3_2 [11] 300. rdd mem 500+500+200+200+300 = 1700.
//  f. 11 removed: its values are written as they are (2 blocks, 500); rdd_3_1 has 2 holders,
//     so rdd mem 1700 − 400/2 = 1500 and rdd_3_1 becomes [9] 400−200 = 200 "1x"; rdd_3_2 had
//     only 11: removed, rdd mem 1500 − 300 = 1200.
// Order: String.hashCode "9" = 57, "10" = 49×31+48 = 1567; h ^ (h >>> 16) leaves both; slots
// in a 16-entry table: 57 & 15 = 9, 1567 & 15 = 15 → 9 before 10 (not insertion or id order).
TEST(RestStorageRemoval, HashOrderAndExecutorRemoval) {
  const std::string stage =
      R"({"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"count","Number of Tasks":3,)"
      R"("RDD Info":[)" +
      RddInfo(3, "replicated", Level(false, true, true, 2), 3) +
      R"(],"Parent IDs":[],"Details":"","Submission Time":1100,"Accumulables":[]})";
  const std::string mem = Level(false, true, true);
  std::string log;
  for (const std::string& l : std::vector<std::string>{
           R"({"Event":"SparkListenerLogStart","Spark Version":"3.5.1"})",
           R"({"Event":"SparkListenerApplicationStart","App Name":"storage",)"
           R"("App ID":"app-20240101000000-0003","Timestamp":1000,"User":"u"})",
           ExecutorAdded("10"), ExecutorAdded("9"), ExecutorAdded("11"),
           BlockManagerAdded("10", 7010, 5000, 4000, 1000),
           BlockManagerAdded("9", 7009, 5000, 4000, 1000),
           BlockManagerAdded("11", 7011, 5000, 4000, 1000),
           R"({"Event":"SparkListenerStageSubmitted","Stage Info":)" + stage +
               R"(,"Properties":{}})",
           BlockUpdated("10", 7010, "rdd_3_0", mem, 500, 0),
           BlockUpdated("9", 7009, "rdd_3_0", mem, 500, 0),
           BlockUpdated("11", 7011, "rdd_3_1", mem, 200, 0),
           BlockUpdated("9", 7009, "rdd_3_1", mem, 200, 0),
           BlockUpdated("11", 7011, "rdd_3_2", mem, 300, 0),
           R"({"Event":"SparkListenerExecutorRemoved","Timestamp":1500,"Executor ID":"11",)"
           R"("Removed Reason":"lost"})",
           R"({"Event":"SparkListenerApplicationEnd","Timestamp":2000})"}) {
    log += l + "\n";
  }
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "app-20240101000000-0003", log);
  auto cat = EventLogCatalog::Open({dir.path().string()}, {});
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  const std::string app = "applications/app-20240101000000-0003/";
  RestResponse r = HandleRest(**cat, app + "storage/rdd/3", {});
  ASSERT_EQ(r.status, 200) << r.body;
  json rdd = json::parse(r.body);
  EXPECT_EQ(rdd["storageLevel"], "Memory Deserialized 2x Replicated");
  EXPECT_EQ(rdd["memoryUsed"], 1200);
  EXPECT_EQ(rdd["numCachedPartitions"], 2);
  EXPECT_EQ(rdd["dataDistribution"], (json::parse(R"([
    {"address":"host-9:7009","memoryUsed":700,"memoryRemaining":4300,"diskUsed":0,
     "onHeapMemoryUsed":700,"offHeapMemoryUsed":0,"onHeapMemoryRemaining":3300,
     "offHeapMemoryRemaining":1000},
    {"address":"host-10:7010","memoryUsed":500,"memoryRemaining":4500,"diskUsed":0,
     "onHeapMemoryUsed":500,"offHeapMemoryUsed":0,"onHeapMemoryRemaining":3500,
     "offHeapMemoryRemaining":1000}])")));
  EXPECT_EQ(rdd["partitions"], (json::parse(R"([
    {"blockName":"rdd_3_0","storageLevel":"Memory Deserialized 2x Replicated",
     "memoryUsed":1000,"diskUsed":0,"executors":["10","9"]},
    {"blockName":"rdd_3_1","storageLevel":"Memory Deserialized 1x Replicated",
     "memoryUsed":200,"diskUsed":0,"executors":["9"]}])")));
  json all = json::parse(HandleRest(**cat, app + "allexecutors", {}).body);
  std::map<std::string, json> by_id;
  for (const json& x : all) by_id[x["id"]] = x;
  // 9: rdd_3_0 and rdd_3_1, 500+200; 10: rdd_3_0, 500; 11 as at its removal: 200+300.
  EXPECT_EQ(by_id["9"]["rddBlocks"], 2);
  EXPECT_EQ(by_id["9"]["memoryUsed"], 700);
  EXPECT_EQ(by_id["10"]["rddBlocks"], 1);
  EXPECT_EQ(by_id["10"]["memoryUsed"], 500);
  EXPECT_EQ(by_id["11"]["isActive"], false);
  EXPECT_EQ(by_id["11"]["rddBlocks"], 2);
  EXPECT_EQ(by_id["11"]["memoryUsed"], 500);
  EXPECT_EQ(by_id["11"]["memoryMetrics"]["usedOnHeapStorageMemory"], 500);
}

}  // namespace
}  // namespace sparkmedic
