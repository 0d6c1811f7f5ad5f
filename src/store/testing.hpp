#pragma once
// Test support: a fresh store of each backend in a temporary directory, removed afterwards.
// Store tests iterate over Backends() so that every backend runs the same suite.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace corridor::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "corridor-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::vector<std::string> Backends() { return {"sqlite"}; }

inline std::unique_ptr<Store> OpenStore(const std::string& backend, const TempDir& dir) {
  if (backend == "sqlite") {
    auto s = SqliteStore::Open({.path = (dir.path() / "corridor.db").string(),
                                .synchronous_full = false,
                                .busy_timeout_ms = 30'000});
    if (s) return std::move(*s);
  }
  return nullptr;
}

}  // namespace corridor::store::testing
