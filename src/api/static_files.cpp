#include "api/static_files.hpp"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace corridor::api {

namespace {

constexpr uintmax_t kMaxTotalBytes = 64u << 20;

bool IsDashboardPath(std::string_view path) {
  return !path.starts_with("/api/") && path != "/api" && path != "/healthz" && path != "/metrics";
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Load(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec || !fs::is_regular_file(base / "index.html")) {
    return Fail(Error::Invalid("--web", fmt::format("{} holds no index.html (build the dashboard "
                                                    "with npm run build in web/)",
                                                    root.string())));
  }
  StaticFiles out;
  uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(base, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const fs::path real = fs::canonical(it->path(), ec);
    if (ec) break;
    const auto rel = real.lexically_relative(base).generic_string();
    if (rel.empty() || rel.starts_with("..")) continue;  // a link out of the folder
    total += it->file_size();
    if (total > kMaxTotalBytes) {
      return Fail(Error::Invalid("--web", "the dashboard's files exceed 64 MiB"));
    }
    std::ifstream in(real, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return Fail(Error::Internal(fmt::format("cannot read {}", real.string())));
    }
    out.files_.emplace("/" + rel, File{std::string(ContentTypeFor(rel)), std::move(body).str()});
  }
  if (ec)
    return Fail(Error::Internal(fmt::format("cannot list {}: {}", base.string(), ec.message())));
  return out;
}

std::optional<HttpResponse> StaticFiles::Find(std::string_view path) const {
  if (!IsDashboardPath(path)) return std::nullopt;
  const std::string_view key = path == "/" ? std::string_view("/index.html") : path;
  auto it = files_.find(key);
  if (it == files_.end()) {
    const auto slash = path.rfind('/');
    const bool has_extension = path.find('.', slash) != std::string_view::npos;
    if (has_extension) return std::nullopt;             // a missing file: the API's 404
    it = files_.find(std::string_view("/index.html"));  // a route of the single-page app
  }
  HttpResponse r{200, it->second.content_type, it->second.body, {}};
  r.headers.emplace_back("Cache-Control", it->first.starts_with("/assets/")
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
  return r;
}

}  // namespace corridor::api
