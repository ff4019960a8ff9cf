// What an application list shows of each application: the History Server's ApplicationInfo
// and ApplicationAttemptInfo. `serve` answers it; live sources read it from a driver or a
// History Server.
#ifndef SPARKMEDIC_APP_SUMMARY_H_
#define SPARKMEDIC_APP_SUMMARY_H_

#include <string>
#include <vector>

#include "sparkmedic/model.h"

namespace sparkmedic {

// One attempt as the application list shows it (ApplicationAttemptInfo).
struct AttemptSummary {
  std::string attempt_id;  // empty: the application has no attempt id
  TimeMs start_time = kNoTime;
  TimeMs end_time = kNoTime;  // kNoTime (-1) while running, as Spark shows it
  TimeMs last_updated = 0;    // the log's modification time
  bool completed = false;
  std::string spark_user;
  std::string app_spark_version;
};

// One application (ApplicationInfo): attempts newest start first, as the History Server.
struct AppSummary {
  std::string id;
  std::string name;
  std::vector<AttemptSummary> attempts;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_APP_SUMMARY_H_
