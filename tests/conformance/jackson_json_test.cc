// Jackson's pretty printing as the History Server writes it (hand-written expectations in
// the shape of the corpus/shs goldens), and Java's Double.toString.
#include "frontends/server/jackson_json.h"

#include <gtest/gtest.h>

#include "frontends/server/rest_util.h"

namespace sparkmedic::server {
namespace {

TEST(JacksonPretty, NestedObjectsArraysAndEmptyContainers) {
  Json j = Json::array();
  Json app = Json::object();
  app["id"] = "local-1";
  app["attempts"] = Json::array({Json{{"duration", 10}, {"completed", true}}});
  app["killedTasksSummary"] = Json::object();
  app["stageIds"] = Json::array({3, 2});
  app["rddIds"] = Json::array();
  app["quantiles"] = Json::array({0.05, 2.0});
  j.push_back(app);
  j.push_back(Json{{"k", "a\"b\\c\nd\te"}});
  EXPECT_EQ(JacksonPretty(j),
            "[ {\n"
            "  \"id\" : \"local-1\",\n"
            "  \"attempts\" : [ {\n"
            "    \"duration\" : 10,\n"
            "    \"completed\" : true\n"
            "  } ],\n"
            "  \"killedTasksSummary\" : { },\n"
            "  \"stageIds\" : [ 3, 2 ],\n"
            "  \"rddIds\" : [ ],\n"
            "  \"quantiles\" : [ 0.05, 2.0 ]\n"
            "}, {\n"
            "  \"k\" : \"a\\\"b\\\\c\\nd\\te\"\n"
            "} ]");
  EXPECT_EQ(JacksonPretty(Json::array()), "[ ]");
  EXPECT_EQ(JacksonPretty(Json{{"spark", "3.5.1"}}), "{\n  \"spark\" : \"3.5.1\"\n}");
}

TEST(JavaDoubleString, MatchesDoubleToString) {
  EXPECT_EQ(JavaDoubleString(0.0), "0.0");
  EXPECT_EQ(JavaDoubleString(2.0), "2.0");
  EXPECT_EQ(JavaDoubleString(0.05), "0.05");
  EXPECT_EQ(JavaDoubleString(2065.0), "2065.0");
  EXPECT_EQ(JavaDoubleString(3842811.0), "3842811.0");
  EXPECT_EQ(JavaDoubleString(1.0e7), "1.0E7");
  EXPECT_EQ(JavaDoubleString(1.2345e10), "1.2345E10");
  EXPECT_EQ(JavaDoubleString(0.0001), "1.0E-4");
}

TEST(RestDates, FormatAndParseLikeSpark) {
  EXPECT_EQ(FormatRestDate(1479335609916), "2016-11-16T22:33:29.916GMT");
  EXPECT_EQ(FormatRestDate(-1), "1969-12-31T23:59:59.999GMT");
  EXPECT_EQ(ParseRestDate("2015-02-03T16:42:40.000GMT"), 1422981760000);
  EXPECT_EQ(ParseRestDate("2015-02-10"), 1423526400000);
  EXPECT_FALSE(ParseRestDate("2015-02-1x").has_value());
  EXPECT_FALSE(ParseRestDate("yesterday").has_value());
}

}  // namespace
}  // namespace sparkmedic::server
