#include "risk/federated/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "risk/federated/psi.hpp"
#include "risk/federated/vertical_lr.hpp"

namespace corridor::risk::federated {

namespace {

enum Kind : uint8_t {
  kPsiBlinded = 101,  // either way: a party's blinded ids, sorted
  kPsiDoubled,        // either way: the other's blinded ids raised by this party's scalar
  kCommon,            // guest → host: the ids common to all
  kScoreShares,       // host → guest: each applicant's share and reasons
};

constexpr size_t kMaxParties = 64;
constexpr size_t kMaxIds = 20'000'000;
constexpr size_t kMaxIdBytes = 256;
constexpr size_t kMaxColumnName = 256;

std::string PointsBody(std::span<const Point> points) {
  Writer w;
  w.U32(static_cast<uint32_t>(points.size()));
  std::string out = w.Take();
  out.reserve(4 + 32 * points.size());
  for (const auto& p : points) out.append(reinterpret_cast<const char*>(p.data()), p.size());
  return out;
}

Result<std::vector<Point>> ReadPoints(const std::string& body, std::string_view what) {
  Reader r(body);
  const uint32_t count = CORRIDOR_TRY(r.U32(what));
  if (count > kMaxIds || body.size() != 4 + 32 * static_cast<size_t>(count)) {
    return Fail(Error::Invalid(fmt::format("/message/{}", what),
                               "the count disagrees with the points sent"));
  }
  std::vector<Point> points(count);
  for (size_t i = 0; i < count; ++i) std::copy_n(body.data() + 4 + 32 * i, 32, points[i].data());
  return points;
}

// The two rounds of ECDH-PSI with one other party; the common ids.
Result<std::vector<std::string>> PsiWith(Channel& other, const std::vector<std::string>& ids,
                                         Randomness& random) {
  PsiParty me(ids, random);
  const auto mine = me.Blinded();
  other.Send(kPsiBlinded, 0, PointsBody(mine));
  const std::string theirs_body = CORRIDOR_TRY(other.Expect(kPsiBlinded, 0));
  const auto theirs = CORRIDOR_TRY(ReadPoints(theirs_body, "blinded"));
  other.Send(kPsiDoubled, 0, PointsBody(CORRIDOR_TRY(me.Reblind(theirs))));
  const std::string doubled_body = CORRIDOR_TRY(other.Expect(kPsiDoubled, 0));
  const auto mine_doubled = CORRIDOR_TRY(ReadPoints(doubled_body, "doubled"));
  return me.Intersect(mine_doubled, CORRIDOR_TRY(me.Reblind(theirs)));
}

}  // namespace

Result<SessionConfig> ParseSession(const nlohmann::json& j) {
  if (!j.is_object()) return Fail(Error::Invalid("/session", "must be a JSON object"));
  SessionConfig s;
  if (!j.contains("session") || !j["session"].is_string() ||
      j["session"].get<std::string>().empty() || j["session"].get<std::string>().size() > 200) {
    return Fail(Error::Invalid("/session", "must name the run (1 to 200 characters)"));
  }
  s.name = j["session"].get<std::string>();
  if (!j.contains("parties") || !j["parties"].is_array() || j["parties"].size() < 2 ||
      j["parties"].size() > kMaxParties) {
    return Fail(Error::Invalid("/parties", "must list 2 to 64 parties"));
  }
  std::set<std::string> names;
  for (size_t k = 0; k < j["parties"].size(); ++k) {
    const auto& p = j["parties"][k];
    const std::string at = fmt::format("/parties/{}", k);
    if (!p.is_object() || !p.contains("name") || !p["name"].is_string() ||
        p["name"].get<std::string>().empty()) {
      return Fail(Error::Invalid(at + "/name", "is required"));
    }
    PartyAddress a;
    a.name = p["name"].get<std::string>();
    if (!names.insert(a.name).second) return Fail(Error::Invalid(at + "/name", "is repeated"));
    const std::string listen = p.value("listen", "");
    const auto colon = listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos) {
      try {
        port = std::stoi(listen.substr(colon + 1));
      } catch (...) {
        port = -1;
      }
    }
    if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
      return Fail(Error::Invalid(at + "/listen", "must be HOST:PORT"));
    }
    a.host = listen.substr(0, colon);
    a.port = port;
    if (!p.contains("public_key") || !p["public_key"].is_string()) {
      return Fail(Error::Invalid(at + "/public_key", "is required"));
    }
    a.public_key =
        CORRIDOR_TRY(ParseKeyHex(p["public_key"].get<std::string>(), at + "/public_key"));
    s.parties.push_back(std::move(a));
  }
  auto party_named = [&](std::string_view field) -> Result<size_t> {
    const auto& v = j[std::string(field)];
    const auto it = std::find_if(s.parties.begin(), s.parties.end(), [&](const auto& p) {
      return v.is_string() && p.name == v.get<std::string>();
    });
    if (it == s.parties.end()) {
      return Fail(Error::Invalid(fmt::format("/{}", field), "must name a party of the session"));
    }
    return static_cast<size_t>(it - s.parties.begin());
  };
  if (j.contains("coordinator")) {
    // Horizontal pooling: the coordinator and the banks; no label party.
    if (j.contains("label_party")) {
      return Fail(Error::Invalid("/label_party", "a pooling session has a coordinator instead"));
    }
    s.coordinator = CORRIDOR_TRY(party_named("coordinator"));
    if (s.parties.size() < 3) {
      return Fail(Error::Invalid("/parties", "a pool needs the coordinator and at least 2 banks"));
    }
  } else {
    if (!j.contains("label_party")) {
      return Fail(Error::Invalid("/label_party", "must name a party of the session"));
    }
    s.label_party = CORRIDOR_TRY(party_named("label_party"));
  }
  if (j.contains("key_bits")) {
    const auto& bits = j["key_bits"];
    if (!bits.is_number_integer() || bits.get<int64_t>() < static_cast<int64_t>(kMinKeyBits) ||
        bits.get<int64_t>() > 4096 || bits.get<int64_t>() % 2 != 0) {
      return Fail(Error::Invalid("/key_bits", "must be even, from 2048 to 4096"));
    }
    s.key_bits = j["key_bits"].get<size_t>();
  }
  if (j.contains("max_iterations")) {
    const auto& most = j["max_iterations"];
    if (!most.is_number_integer() || most.get<int64_t>() < 1 || most.get<int64_t>() > 10'000) {
      return Fail(Error::Invalid("/max_iterations", "must be from 1 to 10,000"));
    }
    s.max_iterations = j["max_iterations"].get<int>();
  }
  return s;
}

Result<std::vector<std::string>> AlignIds(std::span<Channel* const> channels, size_t me,
                                          size_t guest, const std::vector<std::string>& ids,
                                          Randomness& random) {
  if (ids.size() > kMaxIds) return Fail(Error::Invalid("/ids", "at most 20,000,000 ids"));
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].empty() || ids[i].size() > kMaxIdBytes) {
      return Fail(Error::Invalid(fmt::format("/ids/{}", i), "must be 1 to 256 bytes"));
    }
  }
  if (me != guest) {
    const auto common = CORRIDOR_TRY(PsiWith(*channels[guest], ids, random));
    const std::set<std::string> mine(common.begin(), common.end());
    const std::string body = CORRIDOR_TRY(channels[guest]->Expect(kCommon, 0));
    Reader r(body);
    const uint32_t count = CORRIDOR_TRY(r.U32("common"));
    if (count > mine.size()) {
      return Fail(Error::Invalid("/message/common", "holds ids this party does not share"));
    }
    std::vector<std::string> out;
    for (uint32_t i = 0; i < count; ++i) {
      std::string id = CORRIDOR_TRY(r.Bytes("common", kMaxIdBytes));
      if (!mine.contains(id) || (!out.empty() && !(out.back() < id))) {
        return Fail(
            Error::Invalid(fmt::format("/message/common/{}", i), "is not a common id in order"));
      }
      out.push_back(std::move(id));
    }
    CORRIDOR_TRY_STATUS(r.End());
    return out;
  }
  std::set<std::string> common(ids.begin(), ids.end());
  for (size_t k = 0; k < channels.size(); ++k) {
    if (k == me) continue;
    const auto with = CORRIDOR_TRY(PsiWith(*channels[k], ids, random));
    const std::set<std::string> pair(with.begin(), with.end());
    std::erase_if(common, [&](const std::string& id) { return !pair.contains(id); });
  }
  Writer w;
  w.U32(static_cast<uint32_t>(common.size()));
  for (const auto& id : common) w.Bytes(id);
  const std::string body = w.Take();
  for (size_t k = 0; k < channels.size(); ++k) {
    if (k != me) channels[k]->Send(kCommon, 0, body);
  }
  return std::vector<std::string>(common.begin(), common.end());
}

Result<std::vector<FederatedScore>> ScoreParty(std::span<Channel* const> channels, size_t me,
                                               size_t guest, const PartyModel& model,
                                               const std::vector<std::vector<double>>& rows,
                                               size_t reasons) {
  const size_t p = model.coefficients.size();
  if (model.means.size() != p || model.columns.size() != p) {
    return Fail(Error::Invalid("/model", "needs a column name, coefficient and mean per column"));
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != p) {
      return Fail(Error::Invalid(fmt::format("/rows/{}", i),
                                 fmt::format("must have the model's {} columns", p)));
    }
  }
  // This party's share and reasons for each applicant.
  struct Mine {
    double share = 0;
    std::vector<std::pair<size_t, double>> reasons;  // column, contribution
  };
  std::vector<Mine> own(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = 0; j < p; ++j) {
      if (!std::isfinite(rows[i][j])) {
        return Fail(Error::Invalid(fmt::format("/rows/{}/{}", i, j), "must be a finite number"));
      }
      own[i].share += model.coefficients[j] * rows[i][j];
      const double c = model.coefficients[j] * (rows[i][j] - model.means[j]);
      if (c > 0) own[i].reasons.emplace_back(j, c);
    }
    auto& r = own[i].reasons;
    std::sort(r.begin(), r.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (r.size() > reasons) r.resize(reasons);
  }
  if (me != guest) {
    Writer w;
    w.U32(static_cast<uint32_t>(rows.size()));
    for (const auto& m : own) {
      w.F64(m.share).U32(static_cast<uint32_t>(m.reasons.size()));
      for (const auto& [j, c] : m.reasons) w.Bytes(model.columns[j]).F64(c);
    }
    channels[guest]->Send(kScoreShares, 0, w.Take());
    return std::vector<FederatedScore>{};
  }
  std::vector<FederatedScore> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out[i].shares.assign(channels.size(), 0.0);
    out[i].shares[me] = model.intercept + own[i].share;
    for (const auto& [j, c] : own[i].reasons) {
      out[i].reasons.push_back({.party = me, .column = model.columns[j], .contribution = c});
    }
  }
  for (size_t k = 0; k < channels.size(); ++k) {
    if (k == me) continue;
    const std::string body = CORRIDOR_TRY(channels[k]->Expect(kScoreShares, 0));
    Reader r(body);
    const uint32_t count = CORRIDOR_TRY(r.U32("count"));
    if (count != rows.size()) {
      return Fail(Error::Invalid("/message/count",
                                 fmt::format("is {}, expected {} applicants", count, rows.size())));
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      out[i].shares[k] = CORRIDOR_TRY(r.F64("share"));
      const uint32_t n = CORRIDOR_TRY(r.U32("reasons"));
      if (n > reasons) return Fail(Error::Invalid("/message/reasons", "more than were asked"));
      for (uint32_t t = 0; t < n; ++t) {
        std::string column = CORRIDOR_TRY(r.Bytes("column", kMaxColumnName));
        const double c = CORRIDOR_TRY(r.F64("contribution"));
        out[i].reasons.push_back({.party = k, .column = std::move(column), .contribution = c});
      }
    }
    CORRIDOR_TRY_STATUS(r.End());
  }
  for (auto& s : out) {
    for (double v : s.shares) s.linear += v;
    s.probability = s.linear >= 0 ? 1 / (1 + std::exp(-s.linear))
                                  : std::exp(s.linear) / (1 + std::exp(s.linear));
  }
  return out;
}

}  // namespace corridor::risk::federated
