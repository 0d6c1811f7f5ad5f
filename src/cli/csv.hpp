#pragma once
// CSV tables for the command line (calc's tables, federated parties' data): RFC 4180 records
// (quoted fields may hold commas, quotes doubled, line breaks), a header naming the columns.
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corridor::cli {

// Reads RFC 4180 records from a stream, one at a time.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}
  // The next record, or nullopt at the end. Blank lines are skipped.
  std::optional<std::vector<std::string>> Next();
  int line() const { return line_; }

 private:
  std::istream& in_;
  int line_ = 0;
};

std::string Trim(const std::string& s);
// A whole field as a number, or nullopt.
std::optional<double> Number(const std::string& text);
// An error at /csv/line/LINE/COLUMN.
Error CsvError(int line, const std::string& column, const std::string& message);

// A whole table: the header and the records, each as long as the header.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
Result<Table> ReadTable(std::istream& in);

}  // namespace corridor::cli
