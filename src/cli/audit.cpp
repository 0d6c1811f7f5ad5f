#include "cli/audit.hpp"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "registry/merkle.hpp"
#include "registry/note.hpp"

namespace corridor::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using Json = nlohmann::json;

struct Failure {
  int code;  // 1 verification, 2 usage or connection
  std::string message;
};

struct Endpoint {
  std::string host;
  std::string port;
};

Endpoint ParseUrl(const std::string& url) {
  std::string rest = url;
  if (rest.starts_with("http://")) rest = rest.substr(7);
  if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) return {rest, "80"};
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

// GET path; the status and body, or a Failure when there is no answer.
std::pair<unsigned, std::string> Fetch(const Endpoint& ep, const std::string& path,
                                       const std::string& token) {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  beast::error_code ec;
  const auto results = resolver.resolve(ep.host, ep.port, ec);
  if (ec) throw Failure{2, fmt::format("cannot resolve {}: {}", ep.host, ec.message())};
  stream.connect(results, ec);
  if (ec)
    throw Failure{2, fmt::format("cannot connect to {}:{}: {}", ep.host, ep.port, ec.message())};
  http::request<http::empty_body> req{http::verb::get, path, 11};
  req.set(http::field::host, ep.host);
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  http::write(stream, req, ec);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  if (!ec) http::read(stream, buffer, res, ec);
  if (ec) throw Failure{2, fmt::format("GET {}: {}", path, ec.message())};
  return {res.result_int(), res.body()};
}

// GET path; the body on 200, a Failure otherwise.
std::string Get(const Endpoint& ep, const std::string& path, const std::string& token) {
  auto [status, body] = Fetch(ep, path, token);
  if (status != 200) throw Failure{2, fmt::format("GET {}: HTTP {}: {}", path, status, body)};
  return body;
}

registry::Checkpoint OpenCheckpoint(const std::string& note, const registry::NoteVerifier& v,
                                    std::string_view what) {
  auto text = registry::OpenNote(note, v);
  if (!text) throw Failure{1, fmt::format("{} checkpoint: {}", what, text.error().message)};
  auto cp = registry::Checkpoint::Parse(*text);
  if (!cp) throw Failure{1, fmt::format("{} checkpoint: {}", what, cp.error().message)};
  if (cp->origin != v.name()) {
    throw Failure{
        1, fmt::format("{} checkpoint is for origin '{}', not '{}'", what, cp->origin, v.name())};
  }
  return *cp;
}

std::vector<registry::Hash> ProofFrom(const Json& body) {
  std::vector<registry::Hash> out;
  for (const auto& h : body.at("proof_hex")) {
    auto hash = registry::HashFromHex(h.get<std::string>());
    if (!hash) throw Failure{1, "the server sent a proof element that is not a 32-byte hash"};
    out.push_back(*hash);
  }
  return out;
}

int Run(const AuditOptions& o) {
  auto verifier = registry::NoteVerifier::Parse(o.verifier_key);
  if (!verifier) throw Failure{2, "--verifier-key: " + verifier.error().message};
  const Endpoint ep = ParseUrl(o.url);

  const std::string current_note = Get(ep, "/api/v1/registry/checkpoint", "");
  const auto current = OpenCheckpoint(current_note, *verifier, "current");
  std::cout << fmt::format("current checkpoint: size {} root {}\n", current.size,
                           registry::ToHex(current.root));

  if (std::filesystem::exists(o.checkpoint_file)) {
    std::ifstream in(o.checkpoint_file);
    std::stringstream saved_text;
    saved_text << in.rdbuf();
    const auto saved = OpenCheckpoint(saved_text.str(), *verifier, "saved");
    if (saved.size > current.size) {
      throw Failure{1,
                    fmt::format("the log shrank from {} to {} entries", saved.size, current.size)};
    }
    if (saved.size == current.size) {
      if (saved.root != current.root) {
        throw Failure{
            1, fmt::format("two different roots for size {}: the log was rewritten", saved.size)};
      }
    } else if (saved.size > 0) {
      const Json body =
          Json::parse(Get(ep,
                          fmt::format("/api/v1/registry/proofs/consistency?first={}&second={}",
                                      saved.size, current.size),
                          ""));
      const auto proof = ProofFrom(body);
      const auto v =
          registry::VerifyConsistency(saved.size, current.size, saved.root, current.root, proof);
      if (!v.valid) {
        throw Failure{1, fmt::format("the log is not consistent with the saved checkpoint (size "
                                     "{}): {}",
                                     saved.size, v.reason)};
      }
    }
    std::cout << fmt::format("consistent with the saved checkpoint of size {}\n", saved.size);
  } else {
    std::cout << "no saved checkpoint: trusting this one from now on\n";
  }

  std::vector<uint64_t> indices = o.entries;
  if (o.all_entries) {
    for (uint64_t i = 0; i < current.size; ++i) indices.push_back(i);
  }
  uint64_t verified = 0, hidden = 0;
  for (uint64_t index : indices) {
    if (index >= current.size) {
      throw Failure{1, fmt::format("entry {} is not in the log of size {}", index, current.size)};
    }
    auto [status, text] = Fetch(ep, fmt::format("/api/v1/registry/entries/{}", index), o.token);
    if (o.all_entries && status == 404) {
      ++hidden;  // not this token's to read
      continue;
    }
    if (status != 200) {
      throw Failure{2, fmt::format("GET entry {}: HTTP {}: {}", index, status, text)};
    }
    const Json entry = Json::parse(text);
    const auto data = registry::FromHex(entry.at("leaf_data_hex").get<std::string>());
    if (!data) throw Failure{1, fmt::format("entry {}: leaf data is not hex", index)};
    const auto leaf = registry::LeafHash(registry::AsBytes(*data));
    const Json body = Json::parse(Get(
        ep,
        fmt::format("/api/v1/registry/proofs/inclusion?index={}&tree_size={}", index, current.size),
        ""));
    const auto v =
        registry::VerifyInclusion(index, current.size, leaf, ProofFrom(body), current.root);
    if (!v.valid) {
      throw Failure{1, fmt::format("entry {} as served is not the entry the log committed to: {}",
                                   index, v.reason)};
    }
    ++verified;
    if (!o.all_entries) {
      std::cout << fmt::format("entry {} included (leaf {})\n", index, registry::ToHex(leaf));
    }
  }
  if (o.all_entries) {
    std::cout << fmt::format(
        "{} entries readable with this token, every one included; {} not "
        "readable\n",
        verified, hidden);
  }

  const std::string tmp = o.checkpoint_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << current_note;
    if (!out) throw Failure{2, "cannot write " + tmp};
  }
  std::filesystem::rename(tmp, o.checkpoint_file);
  std::cout << "ok\n";
  return 0;
}

}  // namespace

int Audit(const AuditOptions& options) {
  try {
    return Run(options);
  } catch (const Failure& f) {
    std::cerr << "corridor audit: " << (f.code == 1 ? "VERIFICATION FAILED: " : "") << f.message
              << "\n";
    return f.code;
  } catch (const std::exception& e) {
    std::cerr << "corridor audit: unexpected response: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace corridor::cli
