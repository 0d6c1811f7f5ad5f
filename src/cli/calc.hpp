#pragma once
// `corridor calc MODEL [--input FILE|-] [--set KEY=VALUE ...]`: one JSON object in (stdin, a
// file, or a CSV table as an analyst brings it from a spreadsheet), one JSON object out on
// stdout. JSON is parsed from the stream as it arrives; a run longer than a second prints a
// progress line on stderr every second (the units done, for the models that count them).
//
// CSV (RFC 4180, a header row; chosen by a .csv name or --input-format csv), by model:
//   dea, sbm                 columns "in:NAME" are inputs, "out:NAME" outputs, "bad:NAME"
//                            undesirable outputs (sbm); any other column labels the DMU
//                            (the answer then carries "dmu_labels").
//   topsis, entropy-weights, gra
//                            every numeric column is a criterion, the first non-numeric one
//                            labels the alternative ("alternative_labels").
//   portfolio-mc             one obligor per row: ead, pd, lgd, sector, bank, count and the
//                            factor loadings as "loading:1", "loading:2", ...
// --set KEY=VALUE adds a field to the input (VALUE as JSON when it parses, else a string):
// `--set returns=vrs --set 'weights=[0.5,0.5]'`.
//
// Exit 0 answered; 2 invalid input (a problem document on stdout) or an unknown model; 1 when
// the input file cannot be read.
#include <string>
#include <vector>

namespace corridor::cli {

struct CalcOptions {
  std::string model;
  bool list = false;
  std::string input = "-";
  std::string input_format;  // json | csv; default: by the file name
  std::vector<std::string> set;
};

int Calc(const CalcOptions& options);

}  // namespace corridor::cli
