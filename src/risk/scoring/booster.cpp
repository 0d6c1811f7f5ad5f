#include "risk/scoring/booster.hpp"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

namespace corridor::risk::scoring {
namespace {

Error XgbError(std::string_view what) {
  return Error::Internal(fmt::format("xgboost: {}: {}", what, XGBGetLastError()));
}

// A DMatrix of the rows (NaN for missing), freed on scope exit.
class Matrix {
 public:
  static Result<Matrix> Of(std::span<const std::vector<std::optional<double>>> rows, size_t width) {
    std::vector<float> data;
    data.reserve(rows.size() * width);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].size() != width) {
        return Fail(
            Error::Invalid(fmt::format("/rows/{}", i), fmt::format("must have {} values", width)));
      }
      for (const auto& v : rows[i]) {
        if (v && !std::isfinite(*v)) {
          return Fail(Error::Invalid(fmt::format("/rows/{}", i), "must be finite or missing"));
        }
        data.push_back(v ? static_cast<float>(*v) : std::numeric_limits<float>::quiet_NaN());
      }
    }
    DMatrixHandle h = nullptr;
    if (XGDMatrixCreateFromMat(data.data(), rows.size(), width,
                               std::numeric_limits<float>::quiet_NaN(), &h) != 0) {
      return Fail(XgbError("the data matrix"));
    }
    return Matrix(h);
  }
  Matrix(Matrix&& o) noexcept : h_(o.h_) { o.h_ = nullptr; }
  Matrix& operator=(Matrix&&) = delete;
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
  ~Matrix() {
    if (h_ != nullptr) XGDMatrixFree(h_);
  }
  DMatrixHandle get() const { return h_; }

 private:
  explicit Matrix(DMatrixHandle h) : h_(h) {}
  DMatrixHandle h_;
};

// XGBoost's prediction buffers live in the booster (thread-local there); one prediction at a time
// on a handle keeps the copy out of them safe whatever the library's version.
std::mutex& PredictMutex() {
  static std::mutex m;
  return m;
}

}  // namespace

Booster::Booster(Booster&& o) noexcept : handle_(o.handle_), features_(o.features_) {
  o.handle_ = nullptr;
}
Booster& Booster::operator=(Booster&& o) noexcept {
  if (this != &o) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = o.handle_;
    features_ = o.features_;
    o.handle_ = nullptr;
  }
  return *this;
}
Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Result<Booster> Booster::Train(std::span<const std::vector<std::optional<double>>> rows,
                               std::span<const int> labels, const BoosterOptions& options) {
  std::vector<FieldError> problems;
  if (rows.empty()) problems.push_back({"/rows", "must hold at least one case"});
  if (labels.size() != rows.size()) problems.push_back({"/labels", "must have one per case"});
  if (options.trees < 1 || options.trees > 10'000) problems.push_back({"/trees", "1 to 10000"});
  if (options.max_depth < 1 || options.max_depth > 16) {
    problems.push_back({"/max_depth", "1 to 16"});
  }
  if (!(options.eta > 0 && options.eta <= 1)) problems.push_back({"/eta", "in (0, 1]"});
  if (!(options.subsample > 0 && options.subsample <= 1)) {
    problems.push_back({"/subsample", "in (0, 1]"});
  }
  if (!(options.min_child_weight >= 0)) problems.push_back({"/min_child_weight", "≥ 0"});
  bool good = false, bad = false;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) {
      problems.push_back({fmt::format("/labels/{}", i), "must be 0 or 1"});
      break;
    }
    (labels[i] == 1 ? bad : good) = true;
  }
  if (problems.empty() && !(good && bad)) problems.push_back({"/labels", "must hold both classes"});
  if (!problems.empty()) return Fail(Error::Invalid(std::move(problems)));
  const size_t width = rows[0].size();
  Matrix m = CORRIDOR_TRY(Matrix::Of(rows, width));
  std::vector<float> y(labels.begin(), labels.end());
  if (XGDMatrixSetFloatInfo(m.get(), "label", y.data(), y.size()) != 0) {
    return Fail(XgbError("the labels"));
  }
  DMatrixHandle train[] = {m.get()};
  BoosterHandle h = nullptr;
  if (XGBoosterCreate(train, 1, &h) != 0) return Fail(XgbError("the booster"));
  Booster out(h, width);
  const std::pair<const char*, std::string> params[] = {
      {"objective", "binary:logistic"},
      {"tree_method", "hist"},
      {"max_depth", std::to_string(options.max_depth)},
      {"eta", fmt::format("{}", options.eta)},
      {"min_child_weight", fmt::format("{}", options.min_child_weight)},
      {"subsample", fmt::format("{}", options.subsample)},
      {"seed", std::to_string(options.seed)},
      {"nthread", std::to_string(options.threads)},
      {"verbosity", "0"},
  };
  for (const auto& [key, value] : params) {
    if (XGBoosterSetParam(h, key, value.c_str()) != 0) return Fail(XgbError(key));
  }
  for (int it = 0; it < options.trees; ++it) {
    if (XGBoosterUpdateOneIter(h, it, m.get()) != 0) return Fail(XgbError("a boosting round"));
  }
  return out;
}

Result<std::vector<float>> Booster::Run(std::span<const std::vector<std::optional<double>>> rows,
                                        int type) const {
  Matrix m = CORRIDOR_TRY(Matrix::Of(rows, features_));
  const std::string config =
      fmt::format(R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
                  R"("strict_shape": false}})",
                  type);
  std::lock_guard lock(PredictMutex());
  bst_ulong const* shape = nullptr;
  bst_ulong dim = 0;
  float const* result = nullptr;
  if (XGBoosterPredictFromDMatrix(handle_, m.get(), config.c_str(), &shape, &dim, &result) != 0) {
    return Fail(XgbError("a prediction"));
  }
  size_t n = 1;
  for (bst_ulong k = 0; k < dim; ++k) n *= shape[k];
  return std::vector<float>(result, result + n);
}

Result<std::vector<double>> Booster::Predict(
    std::span<const std::vector<std::optional<double>>> rows) const {
  const auto raw = CORRIDOR_TRY(Run(rows, 0));
  return std::vector<double>(raw.begin(), raw.end());
}

Result<std::vector<std::vector<double>>> Booster::Contributions(
    std::span<const std::vector<std::optional<double>>> rows) const {
  const auto raw = CORRIDOR_TRY(Run(rows, 2));
  const size_t width = features_ + 1;
  if (raw.size() != rows.size() * width) return Fail(Error::Internal("xgboost: contributions"));
  std::vector<std::vector<double>> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out[i].assign(raw.begin() + static_cast<std::ptrdiff_t>(i * width),
                  raw.begin() + static_cast<std::ptrdiff_t>((i + 1) * width));
  }
  return out;
}

Result<std::string> Booster::Save() const {
  bst_ulong len = 0;
  char const* bytes = nullptr;
  if (XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &len, &bytes) != 0) {
    return Fail(XgbError("saving the model"));
  }
  return std::string(bytes, len);
}

Result<Booster> Booster::Load(const std::string& json) {
  BoosterHandle h = nullptr;
  if (XGBoosterCreate(nullptr, 0, &h) != 0) return Fail(XgbError("the booster"));
  Booster out(h, 0);
  if (XGBoosterLoadModelFromBuffer(h, json.data(), json.size()) != 0) {
    return Fail(
        Error::Invalid("/model", std::string("is not an XGBoost model: ") + XGBGetLastError()));
  }
  bst_ulong n = 0;
  if (XGBoosterGetNumFeature(h, &n) != 0) return Fail(XgbError("the model's features"));
  out.features_ = n;
  return out;
}

std::vector<Push> ReasonsOf(std::span<const double> contributions,
                            std::span<const std::string> names) {
  std::vector<Push> pushes;
  for (size_t j = 0; j < names.size() && j < contributions.size(); ++j) {
    if (contributions[j] > 0) pushes.push_back({names[j], contributions[j]});
  }
  std::stable_sort(pushes.begin(), pushes.end(),
                   [](const Push& a, const Push& b) { return a.log_odds > b.log_odds; });
  if (pushes.size() > 4) pushes.resize(4);
  return pushes;
}

}  // namespace corridor::risk::scoring
