#include "risk/scoring/german_credit.hpp"

#include <algorithm>
#include <map>

#include "risk/scoring/rdata.hpp"

namespace corridor::risk::scoring {

Result<GermanCredit> LoadGermanCredit(const std::string& path) {
  const auto d = CORRIDOR_TRY(ReadRDataFrame(path, "GermanCredit"));
  std::vector<const RColumn*> cols;
  std::map<std::string, int> group_size;
  const auto prefix = [](const std::string& n) { return n.substr(0, n.find('.')); };
  for (const auto& c : d.columns) {
    if (c.factor) continue;
    if (std::all_of(c.numbers.begin(), c.numbers.end(), [](double x) { return x == 0; })) {
      continue;
    }
    cols.push_back(&c);
    ++group_size[prefix(c.name)];
  }
  GermanCredit out;
  std::vector<const RColumn*> kept;
  for (size_t j = 0; j < cols.size(); ++j) {
    const std::string p = prefix(cols[j]->name);
    const bool last_of_group = j + 1 == cols.size() || prefix(cols[j + 1]->name) != p;
    if (group_size[p] >= 2 && last_of_group) continue;
    kept.push_back(cols[j]);
    out.names.push_back(cols[j]->name);
  }
  const RColumn* cls = d.Find("Class");
  if (cls == nullptr || !cls->factor) {
    return Fail(Error::Invalid("/Class", "the German credit data has no Class factor"));
  }
  for (size_t i = 0; i < d.rows; ++i) {
    std::vector<double> row(kept.size());
    for (size_t j = 0; j < kept.size(); ++j) row[j] = kept[j]->numbers[i];
    out.rows.push_back(std::move(row));
    out.bad.push_back(cls->levels[static_cast<size_t>(cls->codes[i])] == "Bad" ? 1 : 0);
  }
  return out;
}

}  // namespace corridor::risk::scoring
