// EventLogCatalog watching its directories: logs that appear, grow, finish, gain rolling parts
// and vanish, seen through the REST router as a client sees them. The expectations are the
// events the tests themselves write (job counts, timestamps).
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sparkmedic/rest_api.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int64_t kStart = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr int64_t kEnd = 1704070800000;

std::string Head(const std::string& app_id) {
  return fmt::format(
      "{{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"3.5.1\"}}\n"
      "{{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"watched\",\"App ID\":\"{}\","
      "\"Timestamp\":{},\"User\":\"alice\"}}\n",
      app_id, kStart);
}

std::string Job(int id) {
  return fmt::format(
      "{{\"Event\":\"SparkListenerJobStart\",\"Job ID\":{0},\"Submission Time\":{1},"
      "\"Stage Infos\":[],\"Stage IDs\":[],\"Properties\":{{}}}}\n"
      "{{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":{0},\"Completion Time\":{2},"
      "\"Job Result\":{{\"Result\":\"JobSucceeded\"}}}}\n",
      id, kStart + 1000 * id, kStart + 1000 * id + 500);
}

std::string End() {
  return fmt::format("{{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":{}}}\n", kEnd);
}

void Append(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// Polls `pred` until it holds or `limit` passes; true when it held.
bool Eventually(const std::function<bool()>& pred,
                std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

json Get(const AppCatalog& cat, const std::string& path, int* status = nullptr,
         const QueryParams& params = {}) {
  RestResponse r = HandleRest(cat, path, params);
  if (status) *status = r.status;
  if (r.status != 200) return json();
  return json::parse(r.body);
}

// The application's listing entry (null when not listed).
json Listed(const AppCatalog& cat, const std::string& app_id) {
  for (const json& app : Get(cat, "applications")) {
    if (app["id"] == app_id) return app;
  }
  return json();
}

size_t Jobs(const AppCatalog& cat, const std::string& app_id) {
  json jobs = Get(cat, "applications/" + app_id + "/jobs");
  return jobs.is_array() ? jobs.size() : 0;
}

std::unique_ptr<EventLogCatalog> OpenWatching(const fs::path& dir, int64_t poll_ms) {
  EventLogCatalog::Options opts;
  opts.poll_interval_ms = poll_ms;
  auto cat = EventLogCatalog::Open({dir.string()}, opts);
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  return cat.ok() ? std::move(*cat) : nullptr;
}

TEST(RestCatalogWatch, SingleFileLogAppearsGrowsFinishesAndVanishes) {
  testing::ScratchDir dir;
  auto cat = OpenWatching(dir.path(), 50);
  ASSERT_TRUE(cat);
  EXPECT_TRUE(Get(*cat, "applications").empty());

  const std::string id = "app-20240101000000-0007";
  const fs::path running = dir / (id + ".inprogress");
  testing::WriteFileOrDie(running, Head(id) + Job(0));
  ASSERT_TRUE(Eventually([&] { return !Listed(*cat, id).is_null(); })) << "never listed";
  json app = Listed(*cat, id);
  EXPECT_EQ(app["name"], "watched");
  EXPECT_EQ(app["attempts"][0]["completed"], false);
  EXPECT_EQ(app["attempts"][0]["endTimeEpoch"], -1);
  EXPECT_EQ(Jobs(*cat, id), 1u);  // loads and caches the model

  // The running log grows: the cached model must be dropped and reloaded.
  Append(running, Job(1) + Job(2));
  EXPECT_TRUE(Eventually([&] { return Jobs(*cat, id) == 3; })) << Jobs(*cat, id);
  EXPECT_EQ(Listed(*cat, id)["attempts"][0]["completed"], false);

  // Spark renames the finished log.
  Append(running, End());
  fs::rename(running, dir / id);
  ASSERT_TRUE(Eventually([&] { return Listed(*cat, id)["attempts"][0]["completed"] == true; }));
  app = Listed(*cat, id);
  EXPECT_EQ(app["attempts"][0]["endTimeEpoch"], kEnd);
  EXPECT_EQ(app["attempts"][0]["duration"], kEnd - kStart);
  EXPECT_EQ(Jobs(*cat, id), 3u);
  EXPECT_EQ(Get(*cat, "applications", nullptr, {{"status", "completed"}}).size(), 1u);
  EXPECT_EQ(Get(*cat, "applications", nullptr, {{"status", "running"}}).size(), 0u);

  fs::remove(dir / id);
  EXPECT_TRUE(Eventually([&] { return Listed(*cat, id).is_null(); })) << "still listed";
  int status = 0;
  Get(*cat, "applications/" + id + "/jobs", &status);
  EXPECT_EQ(status, 404);
}

TEST(RestCatalogWatch, RollingLogGainsPartsAndFinishes) {
  testing::ScratchDir dir;
  auto cat = OpenWatching(dir.path(), 50);
  ASSERT_TRUE(cat);
  const std::string id = "app-20240101000000-0008";
  const fs::path log = dir / ("eventlog_v2_" + id);
  fs::create_directory(log);
  testing::WriteFileOrDie(log / ("appstatus_" + id + ".inprogress"), "");
  testing::WriteFileOrDie(log / ("events_1_" + id), Head(id) + Job(0));
  ASSERT_TRUE(Eventually([&] { return Jobs(*cat, id) == 1; }));
  EXPECT_EQ(Listed(*cat, id)["attempts"][0]["completed"], false);

  // A new part (Spark rolls at spark.eventLog.rolling.maxFileSize).
  testing::WriteFileOrDie(log / ("events_2_" + id), Job(1));
  EXPECT_TRUE(Eventually([&] { return Jobs(*cat, id) == 2; })) << Jobs(*cat, id);

  // The last part ends the application and the marker loses ".inprogress".
  testing::WriteFileOrDie(log / ("events_3_" + id), Job(2) + End());
  fs::rename(log / ("appstatus_" + id + ".inprogress"), log / ("appstatus_" + id));
  ASSERT_TRUE(Eventually([&] { return Listed(*cat, id)["attempts"][0]["completed"] == true; }));
  EXPECT_EQ(Listed(*cat, id)["attempts"][0]["endTimeEpoch"], kEnd);
  EXPECT_EQ(Jobs(*cat, id), 3u);
}

TEST(RestCatalogWatch, RescanCountsWhatChanged) {
  // No watcher thread: Rescan alone, so every count is exact.
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "app-20240101000000-0001", Head("app-20240101000000-0001"));
  testing::WriteFileOrDie(dir / "app-20240101000000-0002.inprogress",
                          Head("app-20240101000000-0002"));
  auto cat = OpenWatching(dir.path(), 0);
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->ListApplications().size(), 2u);

  EventLogCatalog::RescanStats s = cat->Rescan();
  EXPECT_EQ(s.unchanged, 2u);
  EXPECT_EQ(s.added + s.changed + s.removed, 0u);

  // The loaded model of a log that changes is dropped from the cache (memory freed).
  std::weak_ptr<const Application> model = cat->GetApplication("app-20240101000000-0002", "");
  ASSERT_FALSE(model.expired());
  Append(dir / "app-20240101000000-0002.inprogress", Job(0));
  testing::WriteFileOrDie(dir / "app-20240101000000-0003", Head("app-20240101000000-0003"));
  fs::remove(dir / "app-20240101000000-0001");
  s = cat->Rescan();
  EXPECT_EQ(s.added, 1u);
  EXPECT_EQ(s.changed, 1u);
  EXPECT_EQ(s.removed, 1u);
  EXPECT_EQ(s.unchanged, 0u);
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(model.expired());
  ASSERT_TRUE(cat->GetApplication("app-20240101000000-0002", ""));
  EXPECT_EQ(cat->GetApplication("app-20240101000000-0002", "")->jobs.size(), 1u);
  std::vector<std::string> ids;
  for (const AppSummary& a : cat->ListApplications()) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"app-20240101000000-0003", "app-20240101000000-0002"}));

  // A directory that cannot be listed any more keeps its logs (and says why).
  testing::ScratchDir other;
  fs::path moved = other / "moved";
  fs::rename(dir.path(), moved);
  s = cat->Rescan();
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].code(), StatusCode::kNotFound);
  EXPECT_EQ(cat->ListApplications().size(), 2u);
  fs::rename(moved, dir.path());
}

TEST(RestCatalogWatch, ConcurrentRequestsDuringRescans) {
  // Requests on several threads while the watcher rescans every millisecond and a writer
  // grows, finishes and replaces logs: every answer must be whole and consistent.
  testing::ScratchDir dir;
  const std::string stable = "app-20240101000000-0001";
  testing::WriteFileOrDie(dir / stable, Head(stable) + Job(0) + End());
  auto cat = OpenWatching(dir.path(), 1);
  ASSERT_TRUE(cat);
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0}, bad{0};
  auto client = [&] {
    while (!stop) {
      int status = 0;
      json list = Get(*cat, "applications", &status);
      bool found = false;
      for (const json& a : list) found = found || a["id"] == stable;
      if (status != 200 || !found) ++bad;
      json jobs = Get(*cat, "applications/" + stable + "/jobs", &status);
      if (status != 200 || jobs.size() != 1) ++bad;
      Get(*cat, "applications/app-20240101000000-0002/jobs", &status);
      if (status != 200 && status != 404) ++bad;
      requests += 3;
    }
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) clients.emplace_back(client);
  const std::string moving = "app-20240101000000-0002";
  for (int round = 0; round < 20; ++round) {
    fs::path running = dir / (moving + ".inprogress");
    testing::WriteFileOrDie(running, Head(moving));
    for (int j = 0; j < 5; ++j) {
      Append(running, Job(j));
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    Append(running, End());
    fs::rename(running, dir / moving);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    fs::remove(dir / moving);
  }
  stop = true;
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(bad.load(), 0) << "of " << requests.load() << " requests";
  EXPECT_GT(requests.load(), 30);
}

}  // namespace
}  // namespace sparkmedic
