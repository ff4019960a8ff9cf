// Exception chains: a Java stack trace as Throwable.printStackTrace writes it (Spark's
// "Full Stack Trace", a FetchFailed message, the text of a job or stage failure), unwound into
// the top exception and its "Caused by:" causes; a Python traceback inside a PythonException
// becomes one more, deepest, cause.
//
// Also: which classes and frames belong to the application rather than to the JDK, Scala,
// Spark, Hadoop and the common libraries.
#ifndef SPARKMEDIC_ANALYSIS_CLASSIFY_EXCEPTION_CHAIN_H_
#define SPARKMEDIC_ANALYSIS_CLASSIFY_EXCEPTION_CHAIN_H_

#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/model.h"

namespace sparkmedic::classify {

// The prefix given to the class of a Python error ("python.ValueError"), so that rules can
// tell Python errors from JVM classes.
inline constexpr std::string_view kPythonPrefix = "python.";

struct ChainEntry {
  // As written, e.g. "java.lang.OutOfMemoryError" or
  // "org.apache.hadoop.ipc.RemoteException(org.apache.hadoop.hdfs.server.namenode.SafeModeException)";
  // "python.ValueError" for a Python error.
  std::string cls;
  std::string message;  // may span lines; empty when the exception has none
  // The exception's own frames, innermost first, without "at ":
  // "com.example.Job.run(Job.scala:12)". For a Python error: the traceback's `File "...", line N,
  // in f` lines, innermost first.
  std::vector<std::string> frames;
  int elided = 0;  // "... N more": frames shared with the enclosing exception

  bool python() const { return cls.starts_with(kPythonPrefix); }
  // The class as an operator reads it (without the "python." prefix).
  std::string_view DisplayClass() const;
  // "Class: first line of the message" (or just "Class"), at most 1000 characters.
  std::string Headline() const;
};

// Outermost first. Empty when the text does not start with an exception header line
// ("some.package.Class" or "some.package.Class: message").
std::vector<ChainEntry> ParseChain(std::string_view text);

// The chain of an ExceptionFailure: parsed from Full Stack Trace when it holds one, else built
// from Class Name, Description and Stack Trace. Never empty for an ExceptionFailure.
std::vector<ChainEntry> ChainOf(const TaskFailure& f);

// The index of the root cause: the deepest entry with a message, else the deepest entry.
// REQUIRES: !chain.empty().
size_t RootIndex(const std::vector<ChainEntry>& chain);

// The frames of chain[i] including those Java elided ("... N more" stands for the last N
// frames of the enclosing exception), innermost first.
std::vector<std::string_view> EffectiveFrames(const std::vector<ChainEntry>& chain, size_t i);

// The declaring class of a JVM frame "a.b.C.m(F.java:1)", without a module prefix
// ("java.base/"); empty when the text is not a JVM frame.
std::string_view FrameClass(std::string_view frame);

// JDK, Scala, Spark, Hadoop, Netty, Guava and the other libraries Spark ships with
// (the list is in exception_chain.cc and docs/failure-classes.md).
bool IsFrameworkClass(std::string_view cls);

// With `app_packages` empty: not a framework class. Otherwise: starts with one of them.
bool IsAppClass(std::string_view cls, const std::vector<std::string>& app_packages);

// A frame of application code: a JVM frame whose class IsAppClass, or a Python frame outside
// PySpark, py4j and installed packages.
bool IsAppFrame(std::string_view frame, bool python, const std::vector<std::string>& app_packages);

}  // namespace sparkmedic::classify

#endif  // SPARKMEDIC_ANALYSIS_CLASSIFY_EXCEPTION_CHAIN_H_
