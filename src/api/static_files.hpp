#pragma once
// StaticFiles: the dashboard's built files (web/dist), read once into memory and served by the
// API at every path outside /api/, /healthz and /metrics. A path without a file extension that
// names no file is a route of the single-page app and gets index.html. Files under assets/ carry
// a content hash in their names, so they may be cached for a year; index.html is revalidated.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "core/result.hpp"

namespace corridor::api {

class StaticFiles {
 public:
  // Reads every regular file under `root` (which must hold index.html). Refuses symbolic links
  // that leave the folder and trees over 64 MiB.
  static Result<StaticFiles> Load(const std::filesystem::path& root);

  // The answer for a GET of `path` (already split from its query), or nullopt when the path
  // is not the dashboard's.
  std::optional<HttpResponse> Find(std::string_view path) const;

  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File, std::less<>> files_;  // "/index.html" -> file
};

// The Content-Type of a file name by its extension (application/octet-stream when unknown).
std::string_view ContentTypeFor(std::string_view name);

}  // namespace corridor::api
