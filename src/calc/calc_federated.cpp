// The federated-learning calc models: paillier and vertical-lr (risk/federated/;
// docs/federated.md).
#include <fmt/format.h>

#include <limits>

#include "calc/calc.hpp"
#include "calc/calc_input.hpp"
#include "risk/federated/paillier.hpp"
#include "risk/federated/vertical_lr.hpp"
#include "service/kernel/input.hpp"

namespace corridor::calc {
namespace {

using risk::federated::Big;
using service::Input;

// Known-answer keys only: primes of up to 4,096 bits (real keys are generated, never given).
constexpr size_t kMaxBits = 4096;

// A non-negative integer given as a JSON integer or as decimal text (for values past 2⁶³).
std::optional<Big> BigField(Input& in, const Json& body, std::string_view name, bool required) {
  if (!in.Has(name)) {
    if (required) in.Problem(name, "is required");
    return std::nullopt;
  }
  const Json& v = body.at(std::string(name));
  Big out;
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)) {
    out = Big(std::to_string(v.get<uint64_t>()));
  } else if (v.is_string() && !v.get<std::string>().empty() &&
             v.get<std::string>().size() <= kMaxBits &&
             v.get<std::string>().find_first_not_of("0123456789") == std::string::npos) {
    out = Big(v.get<std::string>());
  } else {
    in.Problem(name, "must be a non-negative integer (a JSON integer or decimal text)");
    return std::nullopt;
  }
  if (mpz_sizeinbase(out.get_mpz_t(), 2) > kMaxBits) {
    in.Problem(name, fmt::format("must have at most {} bits", kMaxBits));
    return std::nullopt;
  }
  return out;
}

// Integers answer as JSON integers while they fit in 63 bits, as decimal text beyond.
Json BigJson(const Big& v) {
  if (mpz_sizeinbase(v.get_mpz_t(), 2) < 63) return Json(std::stoll(v.get_str()));
  return Json(v.get_str());
}

Result<Json> PaillierModel(const Json& body) {
  Input in(body);
  const auto p = BigField(in, body, "p", true);
  const auto q = BigField(in, body, "q", true);
  const auto g = BigField(in, body, "g", false);
  const auto m = BigField(in, body, "m", true);
  const auto r = BigField(in, body, "r", true);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto key = CORRIDOR_TRY(risk::federated::PaillierPrivateKey::FromPrimes(*p, *q, g));
  const auto& pk = key.public_key();
  std::vector<FieldError> problems;
  if (*m >= pk.n()) problems.push_back({"/m", "must be less than n = p q"});
  Big common;
  mpz_gcd(common.get_mpz_t(), r->get_mpz_t(), pk.n().get_mpz_t());
  if (*r == 0 || *r >= pk.n() || common != 1) {
    problems.push_back({"/r", "must be in Z*_n: 0 < r < n and coprime to n"});
  }
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  const Big c = pk.Encrypt(*m, *r);
  return Json{{"n", BigJson(pk.n())},
              {"n_squared", BigJson(pk.n_squared())},
              {"g", BigJson(pk.g())},
              {"lambda", BigJson(key.lambda())},
              {"mu", BigJson(key.mu())},
              {"ciphertext", BigJson(c)},
              {"decrypted", BigJson(key.Decrypt(c))},
              {"scheme", "c = g^m r^n mod n^2; m = L(c^lambda mod n^2) mu mod n, L(u) = (u-1)/n"},
              {"integers", "JSON integers below 2^63, decimal text beyond"}};
}

// The protocol with every party in this process: sized for tests and comparisons, not for a
// province's firms (the parties of `corridor federated` hold those).
constexpr size_t kMaxCases = 20'000;
constexpr size_t kMaxColumns = 200;

Result<Json> VerticalLrModel(const Json& body) {
  Input in(body);
  std::vector<std::vector<std::vector<double>>> parties;
  EachObject(in, body, "parties", 16, [&](Input& sub, const Json& party) {
    parties.push_back(NumberMatrix(sub, party, "features", true, kMaxCases, kMaxColumns));
  });
  const auto labels = BinaryLabels(in, body, kMaxCases);
  const int64_t label_party = in.OptInt("label_party", 0, 15).value_or(0);
  const int64_t key_bits = in.OptInt("key_bits", 256, 4096).value_or(2048);
  const int64_t seed = in.OptInt("seed", 0, std::numeric_limits<int64_t>::max()).value_or(1);
  const int64_t iterations = in.OptInt("max_iterations", 1, 2000).value_or(500);
  CORRIDOR_TRY_STATUS(in.Finish());
  const auto fit = CORRIDOR_TRY(
      risk::federated::FitVerticalLr(parties, labels, static_cast<size_t>(label_party),
                                     {.key_bits = static_cast<size_t>(key_bits),
                                      .seed = static_cast<uint64_t>(seed),
                                      .max_iterations = static_cast<int>(iterations)}));
  return Json{{"intercept", fit.intercept},
              {"coefficients", fit.coefficients},
              {"log_likelihood", fit.log_likelihood},
              {"iterations", fit.iterations},
              {"converged", fit.converged},
              {"gradient_norm", fit.gradient_norm},
              {"bytes_exchanged", fit.bytes_exchanged},
              {"messages", fit.messages},
              {"key_bits", key_bits},
              {"protocol",
               "L-BFGS on standardized columns; residuals and gradients under the label party's "
               "Paillier key, the other parties' sums masked pairwise (docs/federated.md)"}};
}

}  // namespace

void AddFederatedModels(std::vector<CalcModel>& models) {
  models.push_back({"paillier",
                    "Paillier encryption known answer: n, the ciphertext of m under (n, g) with "
                    "blinding r, and its decryption (small primes; real keys are generated)",
                    PaillierModel});
  models.push_back({"vertical-lr",
                    "Vertical logistic regression: parties holding different columns of the same "
                    "cases fit the pooled model, each on its own thread, every message encoded as "
                    "on the wire",
                    VerticalLrModel});
}

}  // namespace corridor::calc
