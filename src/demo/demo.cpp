#include "demo/demo.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "core/int128.hpp"
#include "core/rng.hpp"
#include "domain/rates.hpp"
#include "domain/schedule.hpp"
#include "domain/uscc.hpp"
#include "service/kernel/auth.hpp"
#include "service/ecosystems/ecosystems.hpp"
#include "service/evaluation/evaluation.hpp"
#include "service/green/green_finance.hpp"
#include "service/kernel/input.hpp"
#include "service/kernel/kernel.hpp"
#include "service/registry/registry.hpp"
#include "service/kernel/log.hpp"

namespace corridor::service {
namespace {

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
std::string MakeUscc(int64_t i, int region_index, const CounterRng& rng) {
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

// Splits total_units among weights: each gets min_units, the rest proportionally by largest
// remainder, so the parts sum exactly to total_units.
std::vector<int64_t> Apportion(const std::vector<double>& weights, int64_t total_units,
                               int64_t min_units) {
  const size_t n = weights.size();
  std::vector<int64_t> parts(n, min_units);
  const int64_t rest = total_units - min_units * static_cast<int64_t>(n);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < n; ++i) {
    const double exact = weights[i] / sum * static_cast<double>(rest);
    const auto whole = static_cast<int64_t>(std::floor(exact));
    parts[i] += whole;
    given += whole;
    remainders.emplace_back(exact - static_cast<double>(whole), i);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (int64_t k = 0; k < rest - given; ++k) parts[remainders[static_cast<size_t>(k) % n].second]++;
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

}  // namespace

Result<DemoResult> GenerateDemo(store::Store& store, const Clock& clock, uint64_t seed, Date as_of,
                                const DemoScale& scale) {
  if (scale.verified > scale.registered || scale.deals > scale.verified || scale.deals < 1 ||
      scale.amount_financed_fen < scale.deals * 1'000'000 ||
      scale.amount_financed_fen % 10'000 != 0 || scale.registered % 7919 == 0) {
    return Fail(Error::Invalid("/scale", "inconsistent demo scale"));
  }
  const CounterRng rng(seed);
  return store.Write([&](Connection& c) -> Result<DemoResult> {
    DemoResult result;
    auto existing = CORRIDOR_TRY(store::Query::Make(c, "SELECT count(*) FROM tenants"));
    CORRIDOR_TRY(existing.Next());
    if (existing.Int(0) != 0) return Fail(Error::Conflict("the database already holds data"));
    const int64_t now = clock.NowMicros();
    const int64_t as_of_us = ManualClock::MicrosAt(as_of);

    auto tenant = [&](std::string_view kind, std::string_view name) {
      return InsertReturningId(
          c, "INSERT INTO tenants (kind, name, created_at) VALUES (?, ?, ?) RETURNING id", kind,
          name, now);
    };
    auto user = [&](int64_t tenant_id, Role role, std::string_view name) -> Status {
      auto token = CreateUserWithToken(c, clock, tenant_id, role, name);
      if (!token) return Fail(std::move(token.error()));
      result.tokens.emplace_back(std::string(ToString(role)), std::move(*token));
      return {};
    };

    const int64_t bureau = CORRIDOR_TRY(tenant("bureau", "赤峰市财政局 Chifeng Finance Bureau"));
    CORRIDOR_TRY_STATUS(user(bureau, Role::kBureauAdmin, "Bureau administrator"));
    std::vector<Bank> banks;
    for (std::string_view name : kBanks) {
      banks.push_back({CORRIDOR_TRY(tenant("bank", name)), {}});
    }
    CORRIDOR_TRY_STATUS(user(banks[0].tenant_id, Role::kBankOfficer, "Credit officer"));
    std::vector<int64_t> guarantors;
    for (std::string_view name : kGuarantors)
      guarantors.push_back(CORRIDOR_TRY(tenant("guarantor", name)));
    CORRIDOR_TRY_STATUS(user(guarantors[0], Role::kGuaranteeOfficer, "Guarantee officer"));

    std::vector<domain::LprEntry> lpr;
    for (const auto& f : kLpr) {
      CORRIDOR_TRY(
          Execute(c, "INSERT INTO lpr_rates (effective_date, tenor, rate_bps) VALUES (?, ?, ?)",
                  f.date, domain::ToString(f.tenor), f.bps));
      lpr.push_back({*Date::Parse(f.date), f.tenor, f.bps});
    }

    // Products: each bank publishes four of the six templates.
    for (size_t b = 0; b < banks.size(); ++b) {
      for (size_t k = 0; k < 4; ++k) {
        const auto& t = kProducts[(b + k) % kProducts.size()];
        const int64_t rate = t.rate_bps + static_cast<int64_t>(b % 3) * 10 - 10;
        banks[b].products.push_back(CORRIDOR_TRY(InsertReturningId(
            c,
            "INSERT INTO products (bank_tenant_id, name, min_amount_fen, max_amount_fen, "
            "min_term_months, max_term_months, regions, industries, collateral_free, green_only, "
            "rate_bps, green_discount_bps, created_at) VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, "
            "?, ?) RETURNING id",
            banks[b].tenant_id, t.name, t.min_yuan * 100, t.max_yuan * 100, t.min_term, t.max_term,
            t.industries, t.collateral_free, t.green_only, rate, t.green_discount_bps, now)));
      }
    }
    // Project catalogue: one project per division and leading industry.
    for (size_t r = 0; r < kRegions.size(); ++r) {
      for (size_t k = 0; k < 4; ++k) {
        const auto& ind = kIndustries[k];
        const bool green = ind.key == "new_energy";
        const int64_t amount_yuan =
            (5 + static_cast<int64_t>(rng.Below(kName, r * 16 + k + (1ULL << 39), 200))) *
            1'000'000;
        CORRIDOR_TRY(Execute(
            c,
            "INSERT INTO projects (name, region, industry, amount_fen, green_label, description, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            fmt::format("{}{}项目 {} {} project", kRegions[r].zh, ind.zh, kRegions[r].key, ind.key),
            kRegions[r].key, ind.key, amount_yuan * 100, green ? "medium_green" : "none",
            "融资项目手册 project catalogue entry", now));
      }
    }

    // Enterprises. Exactly `verified` of them are verified: enterprise i is verified when
    // (i * 7919) mod registered < verified (a permutation, 7919 being prime and coprime to any
    // registered count not divisible by it), and the borrowers are those with key < deals.
    const int64_t registered = scale.registered;
    std::vector<int64_t> borrower_ids(static_cast<size_t>(scale.deals));
    std::vector<int64_t> open_need_enterprises;
    const int64_t registration_window_days = int64_t{6} * 365;
    for (int64_t i = 0; i < registered; ++i) {
      const auto ui = static_cast<uint64_t>(i);
      const int64_t key = static_cast<int64_t>((static_cast<UInt128>(ui) * 7919) %
                                               static_cast<UInt128>(registered));
      const bool verified = key < scale.verified;
      const size_t region_index =
          static_cast<size_t>(&Pick(kRegions, rng.Uniform(kRegion, ui)) - kRegions.data());
      const Weighted& region = kRegions[region_index];
      const Weighted& industry = Pick(kIndustries, rng.Uniform(kIndustry, ui));
      const double g = rng.Uniform(kGreen, ui);
      std::string_view label = "none";
      if (industry.key == "new_energy") {
        label = g < 0.4 ? "deep_green" : (g < 0.8 ? "medium_green" : "light_green");
      } else if (industry.key == "nonferrous_metals") {
        label = g < 0.3 ? "transition" : "none";
      } else if (g < 0.06) {
        label = "light_green";
      }
      const int64_t registered_at =
          as_of_us - static_cast<int64_t>(rng.Below(kRegistered, ui, registration_window_days)) *
                         86'400'000'000LL;
      const std::string name =
          fmt::format("赤峰{}{}{}有限公司", region.zh,
                      kNameWords[rng.Below(kName, ui, kNameWords.size())], industry.zh);
      const int64_t tenant_id = CORRIDOR_TRY(InsertReturningId(
          c,
          "INSERT INTO tenants (kind, name, created_at) VALUES ('enterprise', ?, ?) RETURNING id",
          name, registered_at));
      const int64_t id = CORRIDOR_TRY(InsertReturningId(
          c,
          "INSERT INTO enterprises (tenant_id, uscc, name, region, industry, status, green_label, "
          "registered_at, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          tenant_id, MakeUscc(i, static_cast<int>(region_index), rng), name, region.key,
          industry.key, verified ? "verified" : "registered", label, registered_at,
          verified ? std::optional<int64_t>(registered_at + 3 * 86'400'000'000LL) : std::nullopt));
      if (!verified) continue;
      // Shared-data credit profile: revenue log-normal around 3 million yuan.
      const double z = rng.Normal(kProfile, ui);
      const int64_t revenue_fen = static_cast<int64_t>(std::exp(std::log(3.0e6) + 1.1 * z)) * 100;
      const double scale_draw = rng.Uniform(kScale, ui);
      const std::string_view biz_scale =
          revenue_fen < 300'000'000
              ? "micro"
              : (revenue_fen < 2'000'000'000 ? "small" : (scale_draw < 0.8 ? "medium" : "large"));
      const double record_draw = rng.Uniform(kProfile, ui + (1ULL << 38));
      CORRIDOR_TRY(Execute(
          c,
          "INSERT INTO credit_profiles (enterprise_id, tax_paid_12m_fen, "
          "social_insurance_headcount, "
          "utilities_paid_12m_fen, credit_record, scale, annual_revenue_fen, updated_at) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?)",
          id, revenue_fen / 25, 1 + revenue_fen / 40'000'000, revenue_fen / 60,
          record_draw < 0.92 ? "clean" : (record_draw < 0.985 ? "minor_late" : "defaulted"),
          biz_scale, revenue_fen, as_of_us));
      if (key < scale.deals) {
        borrower_ids[static_cast<size_t>(key)] = id;
      } else if (key < scale.deals + scale.open_needs) {
        open_need_enterprises.push_back(id);
      }
    }
    if (std::find(borrower_ids.begin(), borrower_ids.end(), 0) != borrower_ids.end()) {
      return Fail(Error::Internal("demo borrower selection left a gap"));
    }

    // Loans: log-normal weights, entrepreneurship loans smaller, apportioned to the exact total
    // in units of 100 yuan with a floor of 10,000 yuan per loan.
    const auto deals = static_cast<size_t>(scale.deals);
    std::vector<double> weights(deals);
    std::vector<bool> entrepreneurship(deals);
    for (size_t k = 0; k < deals; ++k) {
      entrepreneurship[k] = rng.Uniform(kKind, k) < 0.2;
      const double mu = entrepreneurship[k] ? std::log(2.0e5) : std::log(6.0e5);
      weights[k] = std::exp(mu + 1.0 * rng.Normal(kAmount, k));
    }
    const auto units = Apportion(weights, scale.amount_financed_fen / 10'000, 100);
    constexpr std::array<int32_t, 7> kTerms = {6, 12, 12, 24, 36, 36, 60};
    const int64_t spread = domain::kDefaultEntrepreneurshipSpreadBps;
    const Date window_start = as_of.AddMonths(-36);
    const int32_t window_days =
        as_of.AddMonths(-1).days_since_epoch() - window_start.days_since_epoch();
    // Policy-ledger entries of the bookings, appended in time order once all are generated.
    struct PendingEntry {
      int64_t at;
      int64_t loan_id;
      Json body;
      std::vector<int64_t> parties;
    };
    std::vector<PendingEntry> booked;
    booked.reserve(deals);
    for (size_t k = 0; k < deals; ++k) {
      const int64_t principal = units[k] * 10'000;
      const bool ent = entrepreneurship[k];
      const int32_t term = ent ? (rng.Uniform(kTerm, k) < 0.5 ? 24 : 36)
                               : kTerms[rng.Below(kTerm, k, kTerms.size())];
      const Date start = window_start.AddDays(
          static_cast<int32_t>(rng.Below(kStart, k, static_cast<uint64_t>(window_days))));
      const int64_t lpr_bps = *domain::LprOn(lpr, domain::TenorForTerm(term), start);
      const int64_t rate = ent ? lpr_bps + 50 + static_cast<int64_t>(rng.Below(kRate, k, 101))
                               : lpr_bps - 20 + static_cast<int64_t>(rng.Below(kRate, k, 271));
      const double m = rng.Uniform(kMethod, k);
      const auto method = term <= 12 && m < 0.5 ? domain::RepaymentMethod::kBullet
                          : m < 0.75            ? domain::RepaymentMethod::kEqualInstallment
                                                : domain::RepaymentMethod::kEqualPrincipal;
      const auto split = ent ? *domain::SplitEntrepreneurshipRate(rate, lpr_bps, spread)
                             : domain::RateSplit{rate, 0};
      Bank& bank = banks[rng.Below(kBank, k, banks.size())];
      const int64_t product =
          bank.products[ent ? 0 : rng.Below(kBank, k + (1ULL << 39), bank.products.size())];
      const int64_t enterprise_id = borrower_ids[k];
      const int64_t booked_at = ManualClock::MicrosAt(start) - 7 * 86'400'000'000LL;
      const int64_t need_id = CORRIDOR_TRY(
          InsertReturningId(c,
                            "INSERT INTO needs (enterprise_id, amount_fen, term_months, purpose, "
                            "collateral_free_required, max_rate_bps, status, created_at) VALUES "
                            "(?, ?, ?, ?, ?, NULL, 'funded', ?) RETURNING id",
                            enterprise_id, principal, term,
                            ent ? "创业经营 start-up operations" : "流动资金 working capital", ent,
                            booked_at - 14 * 86'400'000'000LL));
      const int64_t offer_id = CORRIDOR_TRY(InsertReturningId(
          c,
          "INSERT INTO offers (need_id, bank_tenant_id, product_id, amount_fen, annual_rate_bps, "
          "term_months, method, kind, status, created_at, decided_at) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?) RETURNING id",
          need_id, bank.tenant_id, product, principal, rate, term, domain::ToString(method),
          ent ? "entrepreneurship" : "standard", booked_at - 10 * 86'400'000'000LL,
          booked_at - 8 * 86'400'000'000LL));
      const int64_t loan_id = CORRIDOR_TRY(InsertReturningId(
          c,
          "INSERT INTO loans (offer_id, bank_tenant_id, enterprise_id, principal_fen, "
          "annual_rate_bps, borrower_rate_bps, subsidy_rate_bps, lpr_bps, term_months, method, "
          "kind, start_date, booked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "
          "id",
          offer_id, bank.tenant_id, enterprise_id, principal, rate, split.borrower_rate_bps,
          split.subsidy_rate_bps, lpr_bps, term, domain::ToString(method),
          ent ? "entrepreneurship" : "standard", start.ToString(), booked_at));
      const std::string borrower = fmt::format("deposits:enterprise:{}", enterprise_id);
      const std::string receivable = fmt::format("loans_receivable:bank:{}", bank.tenant_id);
      const std::string income = fmt::format("interest_income:bank:{}", bank.tenant_id);
      CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan_id, "disbursement", receivable, borrower,
                                              principal, booked_at));
      booked.push_back({booked_at,
                        loan_id,
                        Json{{"loan_id", loan_id},
                             {"offer_id", offer_id},
                             {"enterprise_id", enterprise_id},
                             {"principal_fen", principal},
                             {"annual_rate_bps", rate}},
                        {bank.tenant_id}});
      const bool guaranteed = ent || rng.Uniform(kGuarantee, k) < 0.35;
      if (guaranteed) {
        const int64_t g =
            ent ? guarantors[2] : guarantors[rng.Below(kGuarantee, k + (1ULL << 39), 2)];
        const int64_t cover =
            ent ? 8'000
                : 5'000 + 1'000 * static_cast<int64_t>(rng.Below(kGuarantee, k + (2ULL << 39), 4));
        const int64_t fee_bps =
            ent ? 0 : 100 + 50 * static_cast<int64_t>(rng.Below(kGuarantee, k + (3ULL << 39), 3));
        const int64_t covered = Money::FromFen(principal).ApplyBps(cover)->fen();
        // The agency approved the bank's request before booking, as on the platform.
        const int64_t request_id = CORRIDOR_TRY(InsertReturningId(
            c,
            "INSERT INTO guarantee_requests (offer_id, bank_tenant_id, guarantor_tenant_id, "
            "cover_bps, fee_bps, status, created_at, decided_at) VALUES (?, ?, ?, ?, ?, 'used', ?, "
            "?) RETURNING id",
            offer_id, bank.tenant_id, g, cover, fee_bps, booked_at - 4 * 86'400'000'000LL,
            booked_at - 2 * 86'400'000'000LL));
        CORRIDOR_TRY(Execute(c,
                             "INSERT INTO guarantees (loan_id, guarantor_tenant_id, cover_bps, "
                             "covered_fen, fee_bps, created_at, request_id) VALUES (?, ?, ?, ?, ?, "
                             "?, ?)",
                             loan_id, g, cover, covered, fee_bps, booked_at, request_id));
        CORRIDOR_TRY_STATUS(internal::AddLedger(
            c, loan_id, "guarantee_fee", borrower, fmt::format("fee_income:guarantor:{}", g),
            Money::FromFen(covered).ApplyBps(fee_bps)->fen(), booked_at));
      }
      // Schedule, and repayments of what fell due before as_of; about 2.5% of borrowers stop
      // paying part-way and show as overdue.
      const auto schedule = *domain::BuildSchedule({.principal = Money::FromFen(principal),
                                                    .annual_rate_bps = rate,
                                                    .term_months = term,
                                                    .method = method,
                                                    .start_date = start});
      const bool delinquent = rng.Uniform(kDelinquent, k) < 0.025;
      const int32_t stop_at =
          delinquent ? 1 + static_cast<int32_t>(rng.Below(kDelinquent, k + (1ULL << 39),
                                                          static_cast<uint64_t>(term)))
                     : term + 1;
      for (const auto& inst : schedule.installments) {
        const int64_t subsidy = domain::SubsidyInterest(inst, split.subsidy_rate_bps).fen();
        const int64_t due = inst.payment.fen() - subsidy;
        const bool paid = inst.due_date <= as_of && inst.seq < stop_at;
        CORRIDOR_TRY(Execute(
            c,
            "INSERT INTO installments (loan_id, seq, due_date, principal_fen, interest_fen, "
            "subsidy_interest_fen, payment_fen, balance_fen, paid_fen, paid_on) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            loan_id, inst.seq, inst.due_date.ToString(), inst.principal.fen(), inst.interest.fen(),
            subsidy, inst.payment.fen(), inst.balance.fen(), paid ? due : 0,
            paid ? std::optional<std::string>(inst.due_date.ToString()) : std::nullopt));
        ++result.installments;
        if (!paid) continue;
        const int64_t paid_at = ManualClock::MicrosAt(inst.due_date);
        CORRIDOR_TRY(Execute(c,
                             "INSERT INTO repayments (loan_id, amount_fen, paid_on, created_at) "
                             "VALUES (?, ?, ?, ?)",
                             loan_id, due, inst.due_date.ToString(), paid_at));
        CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan_id, "repayment_interest", borrower, income,
                                                inst.interest.fen() - subsidy, paid_at));
        CORRIDOR_TRY_STATUS(internal::AddLedger(c, loan_id, "repayment_principal", borrower,
                                                receivable, inst.principal.fen(), paid_at));
      }
    }

    // Open needs, some with offers from the market.
    for (size_t k = 0; k < open_need_enterprises.size(); ++k) {
      const int64_t amount =
          (5 + static_cast<int64_t>(rng.Below(kOpenNeed, k, 296))) * 10'000 * 100;
      const int32_t term = kTerms[rng.Below(kOpenNeed, k + (1ULL << 39), kTerms.size())];
      const int64_t need_id = CORRIDOR_TRY(
          InsertReturningId(c,
                            "INSERT INTO needs (enterprise_id, amount_fen, term_months, purpose, "
                            "collateral_free_required, max_rate_bps, status, created_at) VALUES "
                            "(?, ?, ?, '流动资金 working capital', ?, ?, 'open', ?) RETURNING id",
                            open_need_enterprises[k], amount, term, k % 3 == 0,
                            k % 4 == 0 ? std::optional<int64_t>(450) : std::nullopt,
                            as_of_us - static_cast<int64_t>(k % 30) * 86'400'000'000LL));
      if (k % 2 == 0) {
        const Bank& bank = banks[rng.Below(kBank, k + (2ULL << 39), banks.size())];
        CORRIDOR_TRY(Execute(
            c,
            "INSERT INTO offers (need_id, bank_tenant_id, product_id, amount_fen, annual_rate_bps, "
            "term_months, method, kind, status, created_at) VALUES "
            "(?, ?, ?, ?, ?, ?, 'equal_installment', 'standard', 'offered', ?)",
            need_id, bank.tenant_id, bank.products[0], amount, 380 + static_cast<int64_t>(k % 80),
            term, as_of_us));
      }
    }

    std::stable_sort(booked.begin(), booked.end(),
                     [](const PendingEntry& a, const PendingEntry& b) {
                       return a.at != b.at ? a.at < b.at : a.loan_id < b.loan_id;
                     });
    for (auto& e : booked) {
      const auto tenant =
          CORRIDOR_TRY(internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?",
                                          e.body["enterprise_id"].get<int64_t>()));
      if (tenant) e.parties.push_back(*tenant);
      CORRIDOR_TRY(AppendLogEntry(c, "policy.loan_booked", nullptr, e.body, e.parties, e.at));
    }

    // The registry: borrowers registered receivables on their customers (other borrowers) in
    // the last 30 days, through the registry's own use cases, and about 40% of them financed them
    // with their bank. The use cases run on a clock walking through those days; the log's
    // signer is never used here (the demo signs no checkpoint; the server does at start).
    {
      ManualClock registry_clock(as_of_us - 30 * 86'400'000'000LL);
      TransparencyLog unused_log(store, registry_clock,
                                 registry::NoteSigner("demo.invalid/unused", registry::Seed{}));
      Registry registry(store, registry_clock, unused_log);
      const size_t receivables = std::min<size_t>(deals, 1'500);
      auto uscc_of = [&](int64_t enterprise_id) -> Result<std::string> {
        auto q = CORRIDOR_TRY(
            store::Query::Make(c, "SELECT uscc FROM enterprises WHERE id = ?", enterprise_id));
        CORRIDOR_TRY(q.Next());
        return q.Text(0);
      };
      for (size_t k = 0; k < receivables; ++k) {
        registry_clock.Set(as_of_us - 30 * 86'400'000'000LL +
                           static_cast<int64_t>(k) * (30 * 86'400'000'000LL / 1'500));
        const int64_t creditor = borrower_ids[k];
        const int64_t debtor = borrower_ids[(k + 1 + (k * 7) % (deals - 1)) % deals];
        if (creditor == debtor) continue;
        const auto tenant = CORRIDOR_TRY(
            internal::QueryInt(c, "SELECT tenant_id FROM enterprises WHERE id = ?", creditor));
        const Caller supplier{.user_id = 0,
                              .tenant_id = *tenant,
                              .role = Role::kEnterpriseUser,
                              .tenant_kind = TenantKind::kEnterprise,
                              .enterprise_id = creditor};
        const int64_t amount =
            10'000 * (500 + static_cast<int64_t>(rng.Below(kReceivable, k, 19'501)));
        const Json body{{"type", "receivable"},
                        {"document_type", "invoice"},
                        {"document_number", fmt::format("FP{:08d}", 15'000'000 + k)},
                        {"debtor_uscc", CORRIDOR_TRY(uscc_of(debtor))},
                        {"creditor_uscc", CORRIDOR_TRY(uscc_of(creditor))},
                        {"amount_fen", amount},
                        {"due_date", as_of.AddDays(30 + static_cast<int32_t>(k % 150)).ToString()}};
        const auto registered = CORRIDOR_TRY(registry.RegisterAsset(c, supplier, body));
        if (rng.Uniform(kReceivable, k + (1ULL << 39)) < 0.4) {
          const Bank& bank = banks[rng.Below(kBank, k, banks.size())];
          const Caller lender{.user_id = 0,
                              .tenant_id = bank.tenant_id,
                              .role = Role::kBankOfficer,
                              .tenant_kind = TenantKind::kBank,
                              .enterprise_id = 0};
          CORRIDOR_TRY(registry.Pledge(c, lender, registered.body["id"].get<int64_t>(),
                                       Json{{"amount_fen", amount / 10'000 * 8'000}}));
        }
      }
    }

    // The bureau's administrator acts in the use cases below, on the as-of date.
    const auto admin = CORRIDOR_TRY(
        internal::QueryInt(c, "SELECT min(id) FROM users WHERE tenant_id = ?", bureau));
    const Caller bureau_admin{.user_id = *admin,
                              .tenant_id = bureau,
                              .role = Role::kBureauAdmin,
                              .tenant_kind = TenantKind::kBureau,
                              .enterprise_id = 0};
    ManualClock as_of_clock(as_of_us);

    // Cooperation indicators of the seven border cities for three years, recorded by the bureau
    // through the evaluation use case (demo values, drawn: the published statistics are in
    // data/border_cities.csv and evaluated from there).
    {
      static constexpr std::string_view kCities[] = {
          "Chifeng", "Tongliao", "Chengde", "Qinhuangdao", "Chaoyang", "Huludao", "Jinzhou"};
      struct Indicator {
        std::string_view key, subsystem;
        double low, high;
      };
      static constexpr Indicator kIndicators[] = {
          {"industrial_chain_co_construction_rate", "cooperation", 0.05, 0.35},
          {"cross_province_project_count", "cooperation", 3, 40},
          {"ecological_compensation_payment_rate", "ecology", 0.55, 1.0},
          {"forest_coverage_rate", "ecology", 0.25, 0.60},
          {"cross_province_credit_share", "finance", 0.02, 0.20},
          {"green_loan_share", "finance", 0.05, 0.25}};
      Evaluation evaluation(store, as_of_clock);
      const int year0 = as_of.year() - 3;
      for (int y = 0; y < 3; ++y) {
        for (size_t ci = 0; ci < std::size(kCities); ++ci) {
          for (size_t ii = 0; ii < std::size(kIndicators); ++ii) {
            const auto& ind = kIndicators[ii];
            // A city's level drifts upward over the years; the draw is per (year, city, indicator).
            const uint64_t key = (static_cast<uint64_t>(y) * 16 + ci) * 16 + ii;
            const double u = std::min(1.0, rng.Uniform(kCooperation, key) * 0.8 + 0.1 * y);
            double value = ind.low + u * (ind.high - ind.low);
            value = ind.key == "cross_province_project_count" ? std::round(value)
                                                              : std::round(value * 1e4) / 1e4;
            CORRIDOR_TRY(evaluation.RecordIndicator(
                c, bureau_admin,
                Json{{"region", kCities[ci]},
                     {"year", year0 + y},
                     {"indicator", ind.key},
                     {"value", value},
                     {"unit", ind.key == "cross_province_project_count" ? "projects" : "fraction"},
                     {"subsystem", ind.subsystem}}));
          }
        }
      }
    }

    // A supply-chain ecosystem of sixty borrowers around a core enterprise, in three tiers of
    // suppliers, with its lenders and guarantors as members, orders and open receivables among
    // members, and the four risk pools, built through the ecosystem use cases (so logged).
    // Capital, trade and pool amounts are drawn demo values: an enterprise's equity 20-60% of its
    // revenue, a bank's a tenth of its outstanding book on the platform, a guarantor's 50 million
    // yuan.
    {
      Ecosystems eco(store, as_of_clock);
      const size_t size = std::min<size_t>(60, borrower_ids.size() - 1);
      std::vector<int64_t> members(borrower_ids.begin() + 1, borrower_ids.begin() + 1 + size);
      const std::string outstanding_sql =
          fmt::format("SELECT coalesce(sum({}), 0) FROM loans l WHERE l.enterprise_id = ?",
                      internal::kOutstandingPrincipalSql);
      std::vector<int64_t> outstanding;
      int64_t total = 0;
      for (int64_t m : members) {
        outstanding.push_back(CORRIDOR_TRY(internal::QueryInt(c, outstanding_sql, m)).value_or(0));
        total += outstanding.back();
      }
      // The core: the largest borrower within a quarter of the chain's financing.
      size_t core = 0;
      for (size_t i = 0; i < members.size(); ++i) {
        if (outstanding[i] * 4 <= total && outstanding[i] >= outstanding[core]) core = i;
      }
      std::swap(members[0], members[core]);
      auto capital_of = [&](int64_t enterprise, uint64_t key) -> Result<int64_t> {
        const auto revenue = CORRIDOR_TRY(internal::QueryInt(
            c, "SELECT annual_revenue_fen FROM credit_profiles WHERE enterprise_id = ?",
            enterprise));
        const double share = 0.2 + 0.4 * rng.Uniform(kEcosystem, key);
        return std::max<int64_t>(
            50'000'000, static_cast<int64_t>(static_cast<double>(revenue.value_or(0)) * share));
      };
      auto created = CORRIDOR_TRY(
          eco.Create(c, bureau_admin,
                     Json{{"name", "赤峰新能源装备产业链 Chifeng new-energy equipment chain"},
                          {"core_enterprise_id", members[0]},
                          {"core_capital_fen", CORRIDOR_TRY(capital_of(members[0], 0))}}));
      const int64_t eco_id = created.body["id"].get<int64_t>();
      for (size_t i = 1; i < members.size(); ++i) {
        CORRIDOR_TRY(eco.AddMember(c, bureau_admin, eco_id,
                                   Json{{"enterprise_id", members[i]},
                                        {"capital_fen", CORRIDOR_TRY(capital_of(members[i], i))}}));
      }
      const std::string ids = fmt::format("{}", fmt::join(members, ","));
      std::vector<int64_t> lenders;
      {
        auto q = CORRIDOR_TRY(store::Query::Make(
            c, fmt::format("SELECT DISTINCT bank_tenant_id FROM loans WHERE enterprise_id IN ({}) "
                           "ORDER BY 1",
                           ids)));
        while (CORRIDOR_TRY(q.Next())) lenders.push_back(q.Int(0));
      }
      for (int64_t bank : lenders) {
        const int64_t book =
            CORRIDOR_TRY(internal::QueryInt(c,
                                            fmt::format("SELECT coalesce(sum({}), 0) FROM loans "
                                                        "l WHERE l.bank_tenant_id = ?",
                                                        internal::kOutstandingPrincipalSql),
                                            bank))
                .value_or(0);
        CORRIDOR_TRY(eco.AddMember(
            c, bureau_admin, eco_id,
            Json{{"tenant_id", bank}, {"capital_fen", std::max<int64_t>(book / 10, 1)}}));
      }
      {
        auto q = CORRIDOR_TRY(store::Query::Make(
            c, fmt::format("SELECT DISTINCT g.guarantor_tenant_id FROM guarantees g JOIN loans l "
                           "ON l.id = g.loan_id WHERE l.enterprise_id IN ({}) ORDER BY 1",
                           ids)));
        std::vector<int64_t> agencies;
        while (CORRIDOR_TRY(q.Next())) agencies.push_back(q.Int(0));
        for (int64_t g : agencies) {
          CORRIDOR_TRY(eco.AddMember(c, bureau_admin, eco_id,
                                     Json{{"tenant_id", g}, {"capital_fen", 5'000'000'000}}));
        }
      }
      // Tiers: the core buys from ten, each of those from two of the next twenty, each of those
      // from one or two of the rest. About half the orders leave an open receivable of a fifth.
      uint64_t draw = 1'000;
      auto trade = [&](size_t buyer, size_t supplier, int64_t low_yuan,
                       int64_t high_yuan) -> Status {
        const int64_t amount =
            100 *
            (low_yuan + static_cast<int64_t>(rng.Below(
                            kEcosystem, draw++, static_cast<uint64_t>(high_yuan - low_yuan))));
        const Json order{{"kind", "order"},
                         {"buyer_enterprise_id", members[buyer]},
                         {"supplier_enterprise_id", members[supplier]},
                         {"amount_fen", amount}};
        CORRIDOR_TRY(eco.RecordTrade(c, bureau_admin, eco_id, order));
        if (rng.Uniform(kEcosystem, draw++) < 0.5) {
          Json receivable = order;
          receivable["kind"] = "receivable";
          receivable["amount_fen"] = amount / 5;
          CORRIDOR_TRY(eco.RecordTrade(c, bureau_admin, eco_id, receivable));
        }
        return {};
      };
      const size_t tier1 = std::min<size_t>(10, members.size() - 1);
      const size_t tier2_end = std::min<size_t>(members.size(), 1 + tier1 + 20);
      for (size_t i = 1; i <= tier1; ++i) {
        CORRIDOR_TRY_STATUS(trade(0, i, 2'000'000, 20'000'000));
      }
      for (size_t i = tier1 + 1; i < members.size(); ++i) {
        const bool tier2 = i < tier2_end;
        const size_t first = tier2 ? 1 : tier1 + 1, width = tier2 ? tier1 : tier2_end - tier1 - 1;
        CORRIDOR_TRY_STATUS(
            trade(first + i % width, i, tier2 ? 500'000 : 100'000, tier2 ? 8'000'000 : 3'000'000));
        if (i % 3 == 0) {
          CORRIDOR_TRY_STATUS(trade(first + (i + 1) % width, i, tier2 ? 500'000 : 100'000,
                                    tier2 ? 8'000'000 : 3'000'000));
        }
      }
      // The four risk pools (seed 002 §4.4), funded; the compensation pool has covered one loss.
      struct PoolSeed {
        std::string_view name, scheme;
        int64_t funding_fen;
      };
      static constexpr PoolSeed kPools[] = {
          {"产业链风险补偿资金池 Chain risk-compensation pool", "compensation_pool", 2'000'000'000},
          {"风险准备金池 Risk reserve pool", "reserve_pool", 600'000'000},
          {"研发失败补偿基金 R&D failure fund", "rnd_failure_fund", 1'000'000'000},
          {"研发失败保险 R&D failure insurance", "rnd_insurance", 30'000'000}};
      for (const auto& p : kPools) {
        auto pool = CORRIDOR_TRY(
            eco.CreatePool(c, bureau_admin,
                           Json{{"name", p.name}, {"scheme", p.scheme}, {"ecosystem_id", eco_id}}));
        const int64_t id = pool.body["id"].get<int64_t>();
        CORRIDOR_TRY(eco.FundPool(
            c, bureau_admin, id, Json{{"amount_fen", p.funding_fen}, {"note", "initial funding"}}));
        if (p.scheme == "compensation_pool") {
          CORRIDOR_TRY(eco.DrawPool(c, bureau_admin, id,
                                    Json{{"loss_fen", 85'000'000},
                                         {"note",
                                          "a tier-3 supplier's written-off working-capital "
                                          "loan (demo)"}}));
        }
      }
    }

    // Green finance. The bureau labels the new-energy borrowers' loans from their projects'
    // evidence (wind or solar, life-cycle intensity, capacity; about 15% without metered data,
    // which the rules flag into the review queue) and the nonferrous smelters' energy-saving
    // loans (waste-heat recovery by emission cut, captive coal-power retrofits as transition);
    // the labelled firms keep carbon accounts for two years; the first smelter loan of the demo
    // bank is sustainability-linked (seed 003's ESG-linked zinc smelter loan). Drawn demo values.
    {
      GreenFinance green(store, as_of_clock);
      auto q = CORRIDOR_TRY(store::Query::Make(
          c,
          "SELECT l.id, e.id, e.industry, l.bank_tenant_id FROM loans l JOIN enterprises e ON "
          "e.id = l.enterprise_id WHERE e.industry IN ('new_energy', 'nonferrous_metals') ORDER "
          "BY l.id"));
      struct GreenLoan {
        int64_t loan, enterprise, bank;
        bool energy;
      };
      std::vector<GreenLoan> loans;
      while (CORRIDOR_TRY(q.Next())) {
        loans.push_back({q.Int(0), q.Int(1), q.Int(3), q.View(2) == "new_energy"});
      }
      std::vector<int64_t> labelled;
      for (size_t k = 0; k < loans.size(); ++k) {
        const auto& l = loans[k];
        const double u = rng.Uniform(kGreenFinance, 4 * k),
                     v = rng.Uniform(kGreenFinance, 4 * k + 1);
        const bool metered = rng.Uniform(kGreenFinance, 4 * k + 2) < 0.85;
        Json project;
        Json body{{"loan_id", l.loan}};
        if (l.energy) {
          const std::string activity = k % 2 ? "wind" : "solar_pv";
          project = {{"category", "clean_energy"},
                     {"activity", activity},
                     {"intensity_gco2e_per_kwh", std::round(80 + 1'100 * u) / 10},
                     {"proceeds_purpose", activity}};
          body["capacity_mw"] = std::round(10 + 490 * v) / 10;
        } else if (k % 5 == 0) {
          project = {{"category", "energy_saving"},
                     {"activity", "coal_power_retrofit"},
                     {"emission_reduction_pct", std::round(180 + 250 * u) / 10},
                     {"proceeds_purpose", "clean_retrofit"}};
        } else {
          project = {{"category", "energy_saving"},
                     {"activity", "waste_heat_recovery"},
                     {"emission_reduction_pct", std::round(100 + 400 * u) / 10},
                     {"proceeds_purpose", "waste_heat_recovery"}};
        }
        if (metered) project["evidence"] = {"metered_data"};
        body["project"] = std::move(project);
        CORRIDOR_TRY(green.DecideLabel(c, bureau_admin, body));
        if (labelled.empty() || labelled.back() != l.enterprise) labelled.push_back(l.enterprise);
      }
      // Carbon accounts: scope 1+2 intensity moving -25% to +10% between the two years. Most
      // firms also report their equity + debt (4 to 10 times their platform borrowing), which
      // brings their loans into the banks' financed emissions; one in seven does not, and its
      // loans show as not covered. A quarter of the new-energy firms sell carbon credits.
      for (size_t k = 0; k < labelled.size(); ++k) {
        const int64_t borrowed =
            CORRIDOR_TRY(
                internal::QueryInt(c,
                                   "SELECT coalesce(sum(principal_fen), 0) FROM loans WHERE "
                                   "enterprise_id = ?",
                                   labelled[k]))
                .value_or(0);
        const double leverage = 4 + 6 * rng.Uniform(kGreenFinance, (5ULL << 40) + k);
        const int64_t equity_debt =
            std::max<int64_t>(1, std::llround(leverage * static_cast<double>(borrowed)));
        const bool energy =
            CORRIDOR_TRY(
                internal::QueryInt(
                    c, "SELECT industry = 'new_energy' FROM enterprises WHERE id = ?", labelled[k]))
                .value_or(0) != 0;
        const int64_t output =
            1'000 + static_cast<int64_t>(rng.Below(kGreenFinance, (1ULL << 40) + k, 99'000));
        const double base = 50 + 450 * rng.Uniform(kGreenFinance, (2ULL << 40) + k);  // kg per unit
        const double drift = -0.25 + 0.35 * rng.Uniform(kGreenFinance, (3ULL << 40) + k);
        for (int year = 0; year < 2; ++year) {
          const double kg = base * (year ? 1 + drift : 1) * static_cast<double>(output);
          const int64_t quality =
              1 + static_cast<int64_t>(rng.Below(kGreenFinance, (4ULL << 40) + 2 * k + year, 4));
          Json record{{"period", std::to_string(as_of.year() - 2 + year)},
                      {"scope1_kg", std::llround(kg * 0.7)},
                      {"scope2_kg", std::llround(kg * 0.3)},
                      {"scope3_kg", std::llround(kg * 1.5)},
                      {"reductions_kg", year ? std::llround(std::max(0.0, -drift) * kg) : 0},
                      {"output", output},
                      {"output_unit", k % 3 ? "MWh" : "t"},
                      {"data_quality", quality},
                      {"metered", quality <= 3}};
          if (k % 7 != 3) record["equity_plus_debt_fen"] = equity_debt;
          if (energy && k % 4 == 0) record["credits_generated_kg"] = std::llround(kg * 0.2);
          CORRIDOR_TRY(green.RecordCarbon(c, bureau_admin, labelled[k], record));
        }
      }
      const auto officer = CORRIDOR_TRY(internal::QueryInt(
          c, "SELECT min(id) FROM users WHERE tenant_id = ?", banks[0].tenant_id));
      const Caller bank_officer{.user_id = *officer,
                                .tenant_id = banks[0].tenant_id,
                                .role = Role::kBankOfficer,
                                .tenant_kind = TenantKind::kBank,
                                .enterprise_id = 0};
      for (const auto& l : loans) {
        if (l.energy || l.bank != banks[0].tenant_id) continue;
        CORRIDOR_TRY(green.LinkSustainability(c, bank_officer, l.loan,
                                              Json{{"base_margin_bps", 120},
                                                   {"ratchet", "symmetric"},
                                                   {"floor_bps", 90},
                                                   {"cap_bps", 150},
                                                   {"kpis",
                                                    {{{"name", "so2_kg_per_t_zinc"},
                                                      {"target", 1.2},
                                                      {"direction", "lower_is_better"},
                                                      {"step_bps", 10}},
                                                     {{"name", "energy_tce_per_t_zinc"},
                                                      {"target", 0.9},
                                                      {"direction", "lower_is_better"},
                                                      {"step_bps", 5}}}}}));
        break;
      }
    }

    // The enterprise demo user is the first borrower; risk analyst and auditor sit at the bureau.
    const int64_t first_borrower_tenant = *CORRIDOR_TRY([&]() -> Result<std::optional<int64_t>> {
      auto q = CORRIDOR_TRY(
          store::Query::Make(c, "SELECT tenant_id FROM enterprises WHERE id = ?", borrower_ids[0]));
      CORRIDOR_TRY(q.Next());
      return q.OptInt(0);
    }());
    CORRIDOR_TRY_STATUS(user(first_borrower_tenant, Role::kEnterpriseUser, "Enterprise user"));
    CORRIDOR_TRY_STATUS(user(bureau, Role::kRiskAnalyst, "Risk analyst"));
    CORRIDOR_TRY_STATUS(user(bureau, Role::kAuditor, "Auditor"));
    // Interest-subsidy programmes of the bureau.
    CORRIDOR_TRY(
        Execute(c,
                "INSERT INTO subsidy_programs (name, subsidy_bps, budget_fen, created_at, "
                "by_green_label) VALUES ('创业担保贷款贴息 Entrepreneurship loan subsidy', 150, "
                "5000000000, ?, 0), ('绿色贷款贴息 Green loan subsidy (by label)', 150, "
                "2000000000, ?, 1)",
                now, now));
    CORRIDOR_TRY(Execute(c,
                         "UPDATE platform_stats SET registered = ?, verified = ?, deals = ?, "
                         "amount_financed_fen = ? WHERE id = 1",
                         scale.registered, scale.verified, scale.deals, scale.amount_financed_fen));
    return result;
  });
}

}  // namespace corridor::service
