#pragma once
// The demo's stages and the tables they draw from; not part of the demo's interface. The stages
// are split by what they write: demo.cpp the members, catalogues and enterprises; book.cpp the
// loan book, the market and the registry; contexts.cpp what the bureau records through the other
// contexts' use cases (cooperation indicators, the ecosystem, green finance) and the users.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/int128.hpp"
#include "core/money.hpp"
#include "core/rng.hpp"
#include "demo/demo.hpp"
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
};

struct Weighted {
  std::string_view key;
  std::string_view zh;
  int weight;
};

// Chifeng's county-level divisions (赤峰市辖区、旗、县); weights roughly follow population.
constexpr std::array<Weighted, 12> kRegions = {{
    {"Hongshan", "红山", 14},
    {"Yuanbaoshan", "元宝山", 7},
    {"Songshan", "松山", 13},
    {"ArHorqin", "阿鲁科尔沁", 6},
    {"BairinLeft", "巴林左", 7},
    {"BairinRight", "巴林右", 4},
    {"Linxi", "林西", 5},
    {"Hexigten", "克什克腾", 5},
    {"Ongniud", "翁牛特", 10},
    {"Harqin", "喀喇沁", 8},
    {"Ningcheng", "宁城", 12},
    {"Aohan", "敖汉", 13},
}};

// Chifeng's leading industries (seed 003): farming and herding, nonferrous metals, new energy,
// culture and tourism; plus the services every city has.
constexpr std::array<Weighted, 9> kIndustries = {{
    {"farming_herding", "农牧", 34},
    {"nonferrous_metals", "有色金属", 6},
    {"new_energy", "新能源", 7},
    {"culture_tourism", "文旅", 9},
    {"food_processing", "食品加工", 10},
    {"logistics", "物流", 8},
    {"manufacturing", "制造", 8},
    {"technology", "科技", 5},
    {"trade_services", "商贸服务", 13},
}};

constexpr std::array<std::string_view, 7> kBanks = {
    "内蒙古银行赤峰分行 Bank of Inner Mongolia, Chifeng",
    "中国农业银行赤峰分行 Agricultural Bank of China, Chifeng",
    "中国建设银行赤峰分行 China Construction Bank, Chifeng",
    "中国工商银行赤峰分行 ICBC, Chifeng",
    "中国邮政储蓄银行赤峰分行 Postal Savings Bank of China, Chifeng",
    "赤峰农村商业银行 Chifeng Rural Commercial Bank",
    "中国银行赤峰分行 Bank of China, Chifeng",
};

constexpr std::array<std::string_view, 3> kGuarantors = {
    "赤峰市融资担保集团 Chifeng Financing Guarantee Group",
    "内蒙古再担保赤峰分公司 Inner Mongolia Re-guarantee, Chifeng",
    "赤峰市创业担保贷款担保中心 Chifeng Entrepreneurship Guarantee Centre",
};

constexpr std::array<std::string_view, 24> kNameWords = {
    "丰源", "草原", "金峰", "红山", "玉龙", "北疆", "牧歌", "天骄", "沃野", "兴农", "鑫达", "远航",
    "恒信", "瑞丰", "绿源", "祥和", "富民", "康泰", "昌盛", "华北", "宏图", "嘉禾", "朔风", "云川",
};

// LPR fixings of the National Interbank Funding Center, 2023-2025.
struct LprFixing {
  std::string_view date;
  domain::LprTenor tenor;
  int64_t bps;
};
constexpr std::array<LprFixing, 12> kLpr = {{
    {"2022-08-22", domain::LprTenor::kOneYear, 365},
    {"2023-06-20", domain::LprTenor::kOneYear, 355},
    {"2023-08-21", domain::LprTenor::kOneYear, 345},
    {"2024-07-22", domain::LprTenor::kOneYear, 335},
    {"2024-10-21", domain::LprTenor::kOneYear, 310},
    {"2025-05-20", domain::LprTenor::kOneYear, 300},
    {"2022-08-22", domain::LprTenor::kFiveYear, 430},
    {"2023-06-20", domain::LprTenor::kFiveYear, 420},
    {"2024-02-20", domain::LprTenor::kFiveYear, 395},
    {"2024-07-22", domain::LprTenor::kFiveYear, 385},
    {"2024-10-21", domain::LprTenor::kFiveYear, 360},
    {"2025-05-20", domain::LprTenor::kFiveYear, 350},
}};

template <size_t N>
const Weighted& Pick(const std::array<Weighted, N>& items, double u) {
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

struct ProductTemplate {
  std::string_view name;
  int64_t min_yuan, max_yuan;
  int32_t min_term, max_term;
  std::string_view industries;  // JSON array text
  bool collateral_free, green_only;
  int64_t rate_bps, green_discount_bps;
};

constexpr std::array<ProductTemplate, 6> kProducts = {{
    {"普惠小微信用贷 Inclusive micro credit loan", 10'000, 3'000'000, 6, 36, "[]", true, false, 420,
     0},
    {"农牧振兴贷 Farming and herding loan", 10'000, 2'000'000, 6, 36,
     R"(["farming_herding","food_processing"])", false, false, 395, 20},
    {"绿色能源贷 Green energy loan", 500'000, 50'000'000, 12, 60,
     R"(["new_energy","nonferrous_metals","manufacturing"])", false, true, 380, 30},
    {"创业担保贷 Entrepreneurship guarantee loan", 10'000, 3'000'000, 6, 36, "[]", true, false, 450,
     0},
    {"科技信用贷 Technology credit loan", 100'000, 10'000'000, 12, 36,
     R"(["technology","manufacturing"])", true, false, 400, 20},
    {"文旅消费贷 Culture and tourism loan", 50'000, 5'000'000, 6, 36,
     R"(["culture_tourism","trade_services","logistics"])", false, false, 430, 0},
}};

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
              const DemoScale& sc, Date date)
      : store(s), c(conn), clock(cl), rng(r), scale(sc), as_of(date) {}

  Result<int64_t> Tenant(std::string_view kind, std::string_view name) {
    return InsertReturningId(
        c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, ?) RETURNING id", kind, name,
        now);
  }
  // A user of `role` with its token, which the demo hands out.
  Status User(int64_t tenant_id, Role role, std::string_view name) {
    auto token = CreateUserWithToken(c, clock, tenant_id, role, name);
    if (!token) return Fail(std::move(token.error()));
    result.tokens.emplace_back(std::string(ToString(role)), std::move(*token));
    return {};
  }

  Status Members();
  Status Catalogue();
  Status Enterprises();
  Status Loans();
  Status OpenNeeds();
  Status PolicyLog();
  Status RegistryAssets();
  Status BureauActor();
  Status Cooperation();
  Status Ecosystem();
  Status Green();
  Status UsersAndProgrammes();
};

}  // namespace corridor::service::demo_stages
