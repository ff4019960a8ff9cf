// EventLineParser: the public single-line entry to the loader's parser (used by the REST
// listing), checked against hand-written lines.
#include "sparkmedic/event_line_parser.h"

#include <variant>

#include <gtest/gtest.h>

namespace sparkmedic {
namespace {

TEST(EventLineParser, ReadsOneLineAsTheLoaderDoes) {
  EventLineParser p;
  EventPayload* ev = p.Parse(
      R"({"Event":"SparkListenerApplicationStart","App Name":"nightly etl","App ID":)"
      R"("app-20240101000000-0007","Timestamp":1704067200123,"User":"alice","App Attempt ID":"2"})");
  ASSERT_NE(ev, nullptr) << p.error();
  auto* start = std::get_if<AppStartEvent>(ev);
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->name, "nightly etl");
  EXPECT_EQ(start->app_id.value_or(""), "app-20240101000000-0007");
  EXPECT_EQ(start->time, 1704067200123);
  EXPECT_EQ(start->user, "alice");
  EXPECT_EQ(start->attempt_id.value_or(""), "2");

  // The next line reuses the parser; a line without padding of its own is fine.
  ev = p.Parse(R"({"Event":"SparkListenerApplicationEnd","Timestamp":1704070800000})");
  ASSERT_NE(ev, nullptr) << p.error();
  auto* end = std::get_if<AppEndEvent>(ev);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->time, 1704070800000);
  EXPECT_FALSE(end->exit_code.has_value());
}

TEST(EventLineParser, SaysWhatIsWrongWithALine) {
  EventLineParser p;
  EXPECT_EQ(p.Parse("not json at all"), nullptr);
  EXPECT_FALSE(p.error().empty());
  EXPECT_EQ(p.Parse(R"({"Timestamp":1})"), nullptr);  // no "Event"
  EXPECT_FALSE(p.error().empty());
  // JobEnd without its Job ID: the field is named.
  EXPECT_EQ(p.Parse(R"({"Event":"SparkListenerJobEnd","Completion Time":1})"), nullptr);
  EXPECT_NE(p.error().find("\"Job ID\""), std::string::npos) << p.error();
  // An event the model does not know is an event, not an error.
  EventPayload* ev = p.Parse(R"({"Event":"com.example.MyListenerEvent","x":1})");
  ASSERT_NE(ev, nullptr) << p.error();
  EXPECT_TRUE(std::holds_alternative<UnknownEvent>(*ev));
}

// Regression (found by fuzz_event_log): a stage's RDD Info whose key after the storage level
// is broken (a control byte for its opening quote, quotes balanced further on). simdjson
// abandons its iterator on that error; the parser went on to read "Name" from the dead
// document and crashed. Now the line is malformed, and says where.
TEST(EventLineParser, BrokenKeyInsideRddInfoIsMalformedNotACrash) {
  EventLineParser p;
  const std::string line =
      "{\"Event\":\"SparkListenerStageSubmitted\",\"Stage Info\":{\"Stage ID\":0,"
      "\"Stage Attempt ID\":0,\"Stage Name\":\"s\",\"Number of Tasks\":1,\"RDD Info\":"
      "[{\"RDD ID\":0,\"Name\":\"0\",\"Storage Level\":{\"Use Disk\":false,"
      "\"Use Memory\":true,\"Deserialized\":true,\"Replication\":1},"
      "\x1aNumber of Partitions\":8}],\"Details\":\"a\"b\",\"Accumulables\":[]}}";
  EXPECT_EQ(p.Parse(line), nullptr);
  EXPECT_NE(p.error().find("RDD Info"), std::string::npos) << p.error();
  // The parser is usable for the next line.
  ASSERT_NE(p.Parse(R"({"Event":"SparkListenerApplicationEnd","Timestamp":5})"), nullptr);
}

// Regression (found by fuzz_event_log, reduced): a broken RDD Info without "Number of
// Partitions". The second find_field_unordered wrapped around to the object's start, where
// simdjson assumes JSON it has validated (UB on this line); the fields are now walked once.
TEST(EventLineParser, BrokenRddInfoWithoutPartitionCountIsMalformedNotUndefined) {
  EventLineParser p;
  EXPECT_EQ(p.Parse(R"({"Event":"SparkListenerStageSubmitted","Stage Info":{"":0,"":8,)"
                    R"("RDD Info":[{"RDD ID":0,"Storage Level":{"":f,"Use Memory":true,)"
                    R"("":"":""},"":0,"":0}})"),
            nullptr);
  EXPECT_FALSE(p.error().empty());
}

// Regression (found by fuzz_event_log): an integer field holding a double outside int64's
// range was converted anyway (undefined behaviour). It is a malformed line now; a double in
// range is still truncated, as some writers give times as doubles.
TEST(EventLineParser, IntegerFieldOutOfRangeIsMalformed) {
  EventLineParser p;
  EXPECT_EQ(p.Parse(R"({"Event":"SparkListenerApplicationEnd","Timestamp":1.42298e+23})"), nullptr);
  EXPECT_NE(p.error().find("Timestamp"), std::string::npos) << p.error();
  EXPECT_EQ(p.Parse(R"({"Event":"SparkListenerApplicationEnd","Timestamp":-1e19})"), nullptr);
  EventPayload* ev =
      p.Parse(R"({"Event":"SparkListenerApplicationEnd","Timestamp":1704070800000.7})");
  ASSERT_NE(ev, nullptr) << p.error();
  EXPECT_EQ(std::get<AppEndEvent>(*ev).time, 1704070800000);
}

}  // namespace
}  // namespace sparkmedic
