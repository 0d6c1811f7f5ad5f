#pragma once
// corridor evaluate: the regional evaluation from the command line.
//
//   corridor evaluate [--data FILE.csv] [--format text|json|svg] [--output FILE]
//   corridor evaluate --db PATH --year YYYY [--format ...] [--output FILE]
//
// Without --db it evaluates the seven border cities, from the bundled published statistics or
// from a CSV of the same columns (--data); with --db and --year, the cooperation indicators the
// bureau recorded for that year. Exit status: 0 done, 1 I/O error, 2 invalid input (the problem,
// naming the field, on stderr as JSON).
#include <string>

namespace corridor::cli {

struct EvaluateOptions {
  std::string data;
  std::string db;
  int year = 0;
  std::string format = "text";
  std::string output;
};

int Evaluate(const EvaluateOptions& options);

}  // namespace corridor::cli
