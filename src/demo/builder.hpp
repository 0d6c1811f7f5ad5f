#pragma once
// The demo's stages and the tables they draw from; not part of the demo's interface. The stages
// are split by what they write: demo.cpp the members, catalogues and enterprises; book.cpp the
// loan book, the market and the registry; contexts.cpp what the bureau records through the other
// contexts' use cases (cooperation indicators, the ecosystem, green finance) and the users;
// supply.cpp the supply-chain products around the ecosystem; monitor.cpp the early-warning
// monitor's projects and their year of telemetry.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/int128.hpp"
#include "core/money.hpp"
#include "core/rng.hpp"
#include "demo/demo.hpp"
#include "demo/tables.hpp"
#include "domain/rates.hpp"
#include "domain/schedule.hpp"
#include "domain/uscc.hpp"
#include "service/ecosystems/ecosystems.hpp"
#include "service/evaluation/evaluation.hpp"
#include "service/green/green_finance.hpp"
#include "service/kernel/auth.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "service/kernel/log.hpp"
#include "service/lending/rows.hpp"
#include "service/marketplace/rows.hpp"
#include "service/registry/registry.hpp"

namespace corridor::service::demo_stages {

using store::Connection;
using store::Execute;
using store::InsertReturningId;

// Random streams: one per kind of draw, indexed by entity number, so that changing how many of
// one thing is drawn never shifts the others.
enum Stream : uint64_t {
  kRegion = 1,
  kIndustry,
  kGreen,
  kScale,
  kRegistered,
  kName,
  kOrgCode,
  kProfile,
  kAmount,
  kTerm,
  kStart,
  kRate,
  kMethod,
  kGuarantee,
  kKind,
  kDelinquent,
  kBank,
  kOpenNeed,
  kReceivable,
  kCooperation,
  kEcosystem,
  kGreenFinance,
  kSupply,
  kMonitor,
  kHealth,
  kLatePayment,
  kScoring,
  kAgri,
  kPension,
};

// The item a uniform draw `u` falls on, each taking its weight's share of [0, 1).
inline const Weighted& Pick(const std::vector<Weighted>& items, double u) {
  int total = 0;
  for (const auto& i : items) total += i.weight;
  double x = u * total;
  for (const auto& i : items) {
    if (x < i.weight) return i;
    x -= i.weight;
  }
  return items.back();
}

// An 18-character USCC for enterprise i: "91" (market regulator, company), Chifeng's division
// code 1504xx, a 9-character organisation code that encodes i (unique), and the check character.
inline std::string MakeUscc(int64_t i, int region_index, const CounterRng& rng) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string code = fmt::format("9115040{}", (region_index % 9) + 1);
  // Organisation code: a random leading character, then i in base 31 over 8 characters.
  code.push_back(kAlphabet[rng.Below(kOrgCode, static_cast<uint64_t>(i), 31)]);
  std::string tail(8, '0');
  int64_t v = i;
  for (int k = 7; k >= 0; --k) {
    tail[static_cast<size_t>(k)] = kAlphabet[static_cast<size_t>(v % 31)];
    v /= 31;
  }
  code += tail;
  code.push_back(*domain::UsccCheckCharacter(code));
  return code;
}

// Splits total_units among drawn weights: each gets min_units, the rest by the one
// largest-remainder split (core/money.hpp) on the weights rounded to integers, so the parts sum
// exactly to total_units.
inline std::vector<int64_t> Apportion(const std::vector<double>& weights, int64_t total_units,
                                      int64_t min_units) {
  std::vector<int64_t> integer_weights;
  integer_weights.reserve(weights.size());
  for (const double w : weights) integer_weights.push_back(std::max<int64_t>(1, std::llround(w)));
  const int64_t rest = total_units - min_units * static_cast<int64_t>(weights.size());
  auto parts = *SplitLargestRemainder(rest, integer_weights);  // GenerateDemo checked rest >= 0
  for (int64_t& part : parts) part += min_units;
  return parts;
}

struct Bank {
  int64_t tenant_id;
  std::vector<int64_t> products;  // product ids
};

// kTerms: the terms of standard loans, drawn uniformly (12 and 36 months twice as often).
constexpr std::array<int32_t, 7> kTerms = {6, 12, 12, 24, 36, 36, 60};

// A booking's policy entry, appended to the log in time order once every loan is drawn.
struct PendingEntry {
  int64_t at;
  int64_t loan_id;
  Json body;
  std::vector<int64_t> parties;
};

// The demo's state while its stages run, in order, inside one write transaction. Each stage
// draws from its own streams of `rng`, so a stage's numbers never depend on another's counts.
struct DemoBuilder {
  store::Store& store;
  Connection& c;
  const Clock& clock;
  const CounterRng& rng;
  const DemoScale& scale;
  Date as_of;

  DemoTables tables;
  DemoResult result;
  int64_t now = 0;
  int64_t as_of_us = 0;
  int64_t bureau = 0;
  std::vector<Bank> banks;
  std::vector<int64_t> guarantors;
  std::vector<domain::LprEntry> lpr;
  std::vector<int64_t> borrower_ids;  // by borrower key, 0..deals-1
  std::vector<int64_t> open_need_enterprises;
  size_t deals = 0;
  std::vector<PendingEntry> booked;
  Caller bureau_admin;
  ManualClock as_of_clock{0};

  DemoBuilder(store::Store& s, Connection& conn, const Clock& cl, const CounterRng& r,
              const DemoScale& sc, Date date, DemoTables t)
      : store(s), c(conn), clock(cl), rng(r), scale(sc), as_of(date), tables(std::move(t)) {}

  Result<int64_t> Tenant(std::string_view kind, std::string_view name) {
    return marketplace::InsertTenant(c, kind, name, now);
  }
  // A user of `role` with its token, which the demo hands out under `label` (the role's name
  // unless given).
  Status User(int64_t tenant_id, Role role, std::string_view name, std::string_view label = {}) {
    auto token = CreateUserWithToken(c, clock, tenant_id, role, name);
    if (!token) return Fail(std::move(token.error()));
    result.tokens.emplace_back(label.empty() ? std::string(ToString(role)) : std::string(label),
                               std::move(*token));
    return {};
  }

  Status Members();
  Status Catalogue();
  Status Enterprises();
  Status Loans();
  struct Record {
    std::string credit;
    int64_t revenue_fen = 0, registered_at = 0;
    // A farm's or a herd's: insured under policy agricultural insurance, a cooperative member.
    bool insured = false, cooperative = false;
  };
  Result<Record> BorrowerRecord(int64_t enterprise_id);
  Status OpenNeeds();
  Status PolicyLog();
  Status RegistryAssets();
  Status BureauActor();
  Status Cooperation();
  Status Ecosystem();
  Status Green();
  Status SupplyChain();
  Status Monitor();
  Status Health();
  Status CreditScoring();
  Status Pension();
  Status UsersAndProgrammes();
};

}  // namespace corridor::service::demo_stages
