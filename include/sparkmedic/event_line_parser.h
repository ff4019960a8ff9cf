// EventLineParser: single event-log lines → typed events, exactly as the loader reads them.
//
// For readers that look at a few lines of a log without loading it (the REST listing reads a
// log's head and its ApplicationEnd): the same parser and the same rules for numbers, missing
// fields and malformed lines as a full load, so the values agree with the loaded model.
#ifndef SPARKMEDIC_EVENT_LINE_PARSER_H_
#define SPARKMEDIC_EVENT_LINE_PARSER_H_

#include <memory>
#include <string>
#include <string_view>

#include "sparkmedic/events.h"

namespace sparkmedic {

// Not thread-safe: one per thread. Reuses its buffers across lines.
class EventLineParser {
 public:
  EventLineParser();
  ~EventLineParser();
  EventLineParser(const EventLineParser&) = delete;
  EventLineParser& operator=(const EventLineParser&) = delete;

  // The event on `line` (one line, without its '\n'); valid, and movable from, until the next
  // call. Null when the line is not JSON, has no "Event" string, or lacks a field the model
  // needs: error() says which.
  EventPayload* Parse(std::string_view line);
  const std::string& error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_EVENT_LINE_PARSER_H_
