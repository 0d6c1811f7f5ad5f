#include "cli/csv.hpp"

#include <fmt/format.h>

#include <charconv>

namespace corridor::cli {

// Reads RFC 4180 records (quoted fields may hold commas, quotes doubled, line breaks) from a
// stream, one at a time.
std::optional<std::vector<std::string>> CsvReader::Next() {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, any = false;
  int c;
  while ((c = in_.get()) != EOF) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in_.peek() == '"') {
          field.push_back('"');
          in_.get();
        } else {
          quoted = false;
        }
      } else {
        field.push_back(static_cast<char>(c));
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && in_.peek() == '\n') in_.get();
      if (fields.empty() && field.empty()) {
        any = false;
        continue;
      }
      break;
    } else {
      field.push_back(static_cast<char>(c));
    }
  }
  if (!any) return std::nullopt;
  fields.push_back(std::move(field));
  ++line_;
  return fields;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<double> Number(const std::string& text) {
  const std::string t = Trim(text);
  double v = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
  return v;
}

Error CsvError(int line, const std::string& column, const std::string& message) {
  return Error::Invalid(fmt::format("/csv/line/{}/{}", line, column), message);
}

Result<Table> ReadTable(std::istream& in) {
  CsvReader csv(in);
  Table t;
  auto header = csv.Next();
  if (!header) return Fail(Error::Invalid("/csv", "is empty; the first line names the columns"));
  for (auto& h : *header) t.header.push_back(Trim(h));
  while (auto row = csv.Next()) {
    if (row->size() != t.header.size()) {
      return Fail(Error::Invalid(
          fmt::format("/csv/line/{}", csv.line()),
          fmt::format("has {} fields; the header has {}", row->size(), t.header.size())));
    }
    t.rows.push_back(std::move(*row));
  }
  if (t.rows.empty()) return Fail(Error::Invalid("/csv", "has a header but no rows"));
  return t;
}

}  // namespace corridor::cli
