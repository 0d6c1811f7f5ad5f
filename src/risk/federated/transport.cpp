#include "risk/federated/transport.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

namespace corridor::risk::federated {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kTarget = "/federated/v1/frames";
constexpr std::string_view kTag = "corridor/federated/v1";

void PutU32(std::string& out, uint32_t v) {
  for (int k = 3; k >= 0; --k) out.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}

// What a frame's signature covers.
std::string Signed(std::string_view session, size_t from, size_t to, std::string_view frame) {
  std::string m(kTag);
  m.push_back('\0');
  m += session;
  m.push_back('\0');
  PutU32(m, static_cast<uint32_t>(from));
  PutU32(m, static_cast<uint32_t>(to));
  m += frame;
  return m;
}

std::string Problem(int status, std::string_view title, std::string_view detail) {
  return nlohmann::json{
      {"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}}
      .dump();
}

}  // namespace

PartyKey PartyKey::FromSeed(const std::array<uint8_t, 32>& seed) {
  PartyKey k;
  k.seed = seed;
  crypto_sign_seed_keypair(k.public_key.data(), k.secret.data(), seed.data());
  return k;
}

PartyKey PartyKey::Generate() {
  std::array<uint8_t, 32> seed{};
  randombytes_buf(seed.data(), seed.size());
  return FromSeed(seed);
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Result<std::array<uint8_t, 32>> ParseKeyHex(std::string_view hex, std::string_view field) {
  std::array<uint8_t, 32> out{};
  if (hex.size() != 64) {
    return Fail(Error::Invalid(std::string(field), "must be 64 hexadecimal digits (32 bytes)"));
  }
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < 32; ++i) {
    const int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Fail(Error::Invalid(std::string(field), "must be 64 hexadecimal digits (32 bytes)"));
    }
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

struct HttpTransport::Impl {
  TransportOptions o;
  asio::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::thread accept_thread;
  std::atomic<bool> stopping{false};

  std::mutex conns_mu;
  std::vector<std::shared_ptr<tcp::socket>> conns;
  std::vector<std::thread> conn_threads;

  std::mutex seq_mu;
  std::vector<uint32_t> next_seq;  // per sender, the next frame's number
  std::vector<std::unique_ptr<QueueLink>> inbound;
  std::vector<std::unique_ptr<Link>> outbound;
  std::vector<std::unique_ptr<Channel>> owned;
  std::vector<Channel*> channels;
  std::atomic<uint64_t> bytes{0}, frames{0};
  // Peers that have said they stopped: nothing more is sent to them.
  std::unique_ptr<std::atomic<bool>[]> stopped;

  mutable std::mutex refusals_mu;
  std::vector<std::string> refusals;

  // A sending failure ends every conversation: the protocol thread sees it at its next Expect.
  // A peer that cannot be sent to: the conversation with it is over, and (unless the peers are
  // independent) the whole protocol.
  void Broken(size_t peer, const Error& e) {
    for (size_t k = 0; k < inbound.size(); ++k) {
      if (inbound[k] && (k == peer || !o.independent_peers)) inbound[k]->CloseWith(e);
    }
  }

  void Refuse(std::string reason) {
    std::lock_guard lock(refusals_mu);
    refusals.push_back(std::move(reason));
  }

  // The answer to one POSTed frame: status and body.
  std::pair<http::status, std::string> Receive(const http::request<http::string_body>& req) {
    auto refuse = [&](http::status s, std::string reason, std::string_view title,
                      const std::string& detail) {
      Refuse(std::move(reason));
      return std::pair{s, Problem(static_cast<int>(s), title, detail)};
    };
    auto view = [](beast::string_view v) { return std::string_view(v.data(), v.size()); };
    if (view(req.target()) != kTarget) {
      return refuse(http::status::not_found, "target", "Not Found",
                    fmt::format("frames are posted to {}", kTarget));
    }
    if (req.method() != http::verb::post) {
      return refuse(http::status::method_not_allowed, "method", "Method Not Allowed",
                    "frames are POSTed");
    }
    const std::string_view session = view(req["Corridor-Session"]);
    const std::string_view from_text = view(req["Corridor-From"]);
    const std::string_view signature_hex = view(req["Corridor-Signature"]);
    size_t from = 0;
    bool from_ok = !from_text.empty() && from_text.size() <= 4;
    for (char c : from_text) {
      if (c < '0' || c > '9') from_ok = false;
      from = from * 10 + static_cast<size_t>(c - '0');
    }
    if (!from_ok || from >= o.parties.size() || from == o.me) {
      return refuse(http::status::bad_request, "from", "Bad Request",
                    "Corridor-From must be the index of another party of the session");
    }
    if (session != o.session) {
      return refuse(http::status::forbidden, "session", "Forbidden",
                    "the frame belongs to another session");
    }
    std::array<uint8_t, crypto_sign_BYTES> sig{};
    bool sig_ok = signature_hex.size() == 2 * sig.size();
    if (sig_ok) {
      const auto lo = ParseKeyHex(signature_hex.substr(0, 64), "signature");
      const auto hi = ParseKeyHex(signature_hex.substr(64), "signature");
      sig_ok = lo && hi;
      if (sig_ok) {
        std::copy(lo->begin(), lo->end(), sig.begin());
        std::copy(hi->begin(), hi->end(), sig.begin() + 32);
      }
    }
    const std::string& frame = req.body();
    if (sig_ok) {
      const std::string m = Signed(o.session, from, o.me, frame);
      sig_ok = crypto_sign_verify_detached(sig.data(), reinterpret_cast<const uint8_t*>(m.data()),
                                           m.size(), o.parties[from].public_key.data()) == 0;
    }
    if (!sig_ok) {
      return refuse(
          http::status::unauthorized, "signature", "Unauthorized",
          fmt::format("the frame is not signed by party {} ({})", from, o.parties[from].name));
    }
    auto decoded = DecodeFrame(frame);
    if (!decoded) {
      return refuse(http::status::bad_request, "frame", "Bad Request",
                    decoded.error().fields.empty() ? decoded.error().message
                                                   : decoded.error().fields[0].field + ": " +
                                                         decoded.error().fields[0].message);
    }
    {
      std::lock_guard lock(seq_mu);
      if (decoded->seq != next_seq[from]) {
        return refuse(http::status::conflict, "seq", "Conflict",
                      fmt::format("/message/seq is {}, expected {}: a replayed or reordered "
                                  "frame",
                                  decoded->seq, next_seq[from]));
      }
      ++next_seq[from];
      if (decoded->kind == kAbortKind) stopped[from] = true;
      inbound[from]->Send(frame);
    }
    return {http::status::no_content, ""};
  }

  void Serve(const std::shared_ptr<tcp::socket>& sock) {
    beast::flat_buffer buffer;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(o.max_frame_bytes);
      parser.header_limit(16 << 10);
      beast::error_code ec;
      http::read(*sock, buffer, parser, ec);
      if (ec) {
        if (ec != http::error::end_of_stream && !stopping) {
          http::response<http::string_body> bad{http::status::bad_request, 11};
          bad.set(http::field::content_type, "application/problem+json");
          bad.body() = Problem(400, "Bad Request", ec.message());
          bad.prepare_payload();
          bad.keep_alive(false);
          http::write(*sock, bad, ec);
          Refuse("http");
        }
        break;
      }
      const auto& req = parser.get();
      auto [status, body] = Receive(req);
      http::response<http::string_body> res{status, req.version()};
      if (!body.empty()) res.set(http::field::content_type, "application/problem+json");
      res.body() = std::move(body);
      res.prepare_payload();
      res.keep_alive(req.keep_alive());
      http::write(*sock, res, ec);
      if (ec || !req.keep_alive()) break;
    }
    beast::error_code ignored;
    sock->shutdown(tcp::socket::shutdown_both, ignored);
  }

  void Accept() {
    while (!stopping) {
      auto sock = std::make_shared<tcp::socket>(ioc);
      beast::error_code ec;
      acceptor->accept(*sock, ec);
      if (ec) {
        if (stopping) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      std::lock_guard lock(conns_mu);
      // One connection from each peer, and a few reconnections: more is someone else.
      if (conns.size() >= 2 * o.parties.size() + 8) continue;
      conns.push_back(sock);
      conn_threads.emplace_back([this, sock] { Serve(sock); });
    }
  }
};

namespace {

// Frames to one peer: POSTed in order on one kept-alive connection, each signed.
class HttpLink : public Link {
 public:
  HttpLink(HttpTransport::Impl& t, size_t to) : t_(t), to_(to) {}

  void Send(std::string frame) override {
    if (failed_ || t_.stopped[to_]) return;
    auto sent = Post(frame);
    if (!sent) {
      failed_ = true;
      t_.Broken(to_, sent.error());
      return;
    }
    t_.bytes += frame.size();
    ++t_.frames;
  }
  Result<std::string> Receive() override {
    return Fail(Error::Internal("a sending link receives nothing"));
  }
  void Close() override {
    beast::error_code ignored;
    if (sock_) sock_->close(ignored);
  }

 private:
  const PartyAddress& Peer() const { return t_.o.parties[to_]; }

  Status Connect() {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(t_.o.connect_timeout_ms);
    beast::error_code ec;
    while (true) {
      tcp::resolver resolver(t_.ioc);
      const auto endpoints = resolver.resolve(Peer().host, std::to_string(Peer().port), ec);
      if (!ec) {
        sock_.emplace(t_.ioc);
        asio::connect(*sock_, endpoints, ec);
        if (!ec) return {};
        sock_.reset();
      }
      if (std::chrono::steady_clock::now() > deadline || t_.stopping || t_.stopped[to_]) {
        return Fail(Error{ErrorCode::kUnavailable,
                          fmt::format("party {} ({}:{}) cannot be reached: {}", Peer().name,
                                      Peer().host, Peer().port, ec.message()),
                          {}});
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  Status Post(const std::string& frame) {
    if (!sock_) CORRIDOR_TRY_STATUS(Connect());
    const std::string m = Signed(t_.o.session, t_.o.me, to_, frame);
    std::array<uint8_t, crypto_sign_BYTES> sig{};
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const uint8_t*>(m.data()), m.size(),
                         t_.o.key.secret.data());
    http::request<http::string_body> req{http::verb::post, std::string(kTarget), 11};
    req.set(http::field::host, fmt::format("{}:{}", Peer().host, Peer().port));
    req.set(http::field::content_type, "application/octet-stream");
    req.set("Corridor-Session", t_.o.session);
    req.set("Corridor-From", std::to_string(t_.o.me));
    req.set("Corridor-Signature", ToHex(sig));
    req.body() = frame;
    req.prepare_payload();
    req.keep_alive(true);
    beast::error_code ec;
    http::write(*sock_, req, ec);
    http::response<http::string_body> res;
    if (!ec) http::read(*sock_, buffer_, res, ec);
    if (ec) {
      return Fail(Error{ErrorCode::kUnavailable,
                        fmt::format("party {} went away: {}", Peer().name, ec.message()),
                        {}});
    }
    if (res.result() != http::status::no_content) {
      return Fail(
          Error::Invalid("/message", fmt::format("party {} refused a frame: {} {}", Peer().name,
                                                 res.result_int(), res.body())));
    }
    return {};
  }

  HttpTransport::Impl& t_;
  size_t to_;
  std::optional<tcp::socket> sock_;
  beast::flat_buffer buffer_;
  bool failed_ = false;
};

}  // namespace

Result<std::unique_ptr<HttpTransport>> HttpTransport::Start(TransportOptions options) {
  if (options.me >= options.parties.size()) {
    return Fail(Error::Invalid("/party", "is not a party of the session"));
  }
  if (options.key.public_key != options.parties[options.me].public_key) {
    return Fail(Error::Invalid("/key", fmt::format("is not the key the session names for party {}",
                                                   options.parties[options.me].name)));
  }
  std::unique_ptr<HttpTransport> t(new HttpTransport());
  t->impl_ = std::make_unique<Impl>();
  Impl& i = *t->impl_;
  i.o = std::move(options);
  const size_t k = i.o.parties.size();
  i.next_seq.assign(k, 0);
  i.stopped = std::make_unique<std::atomic<bool>[]>(k);
  for (size_t p = 0; p < k; ++p) i.stopped[p] = false;
  for (size_t p = 0; p < k; ++p) {
    if (p == i.o.me) {
      i.inbound.push_back(nullptr);
      i.outbound.push_back(nullptr);
      i.owned.push_back(nullptr);
      i.channels.push_back(nullptr);
      continue;
    }
    auto in = std::make_unique<QueueLink>();
    in->SetTimeout(i.o.receive_timeout_ms, fmt::format("party {}", i.o.parties[p].name));
    i.inbound.push_back(std::move(in));
    i.outbound.push_back(std::make_unique<HttpLink>(i, p));
    i.owned.push_back(std::make_unique<Channel>(*i.outbound.back(), *i.inbound.back()));
    i.channels.push_back(i.owned.back().get());
  }
  const auto& self = i.o.parties[i.o.me];
  beast::error_code ec;
  const auto address = asio::ip::make_address(self.host, ec);
  if (ec) {
    return Fail(Error::Invalid("/parties/listen",
                               fmt::format("{} is not an IP address to listen on", self.host)));
  }
  i.acceptor.emplace(i.ioc);
  const tcp::endpoint endpoint(address, static_cast<uint16_t>(self.port));
  i.acceptor->open(endpoint.protocol(), ec);
  if (!ec) i.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) i.acceptor->bind(endpoint, ec);
  if (!ec) i.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(Error{ErrorCode::kUnavailable,
                      fmt::format("cannot listen on {}:{}: {}", self.host, self.port, ec.message()),
                      {}});
  }
  i.o.parties[i.o.me].port = i.acceptor->local_endpoint().port();
  i.accept_thread = std::thread([&i] { i.Accept(); });
  return t;
}

HttpTransport::~HttpTransport() { Stop(); }

void HttpTransport::Stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  Impl& i = *impl_;
  ::shutdown(i.acceptor->native_handle(), SHUT_RDWR);
  if (i.accept_thread.joinable()) i.accept_thread.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(i.conns_mu);
    // Reading stops; an answer being written is finished first, so that a peer whose last frame
    // was taken hears its 204.
    for (auto& c : i.conns) ::shutdown(c->native_handle(), SHUT_RD);
    threads.swap(i.conn_threads);
  }
  for (auto& t : threads) t.join();
  for (auto& l : i.outbound) {
    if (l) l->Close();
  }
  for (auto& l : i.inbound) {
    if (l) l->Close();
  }
  beast::error_code ignored;
  i.acceptor->close(ignored);
}

int HttpTransport::port() const { return impl_->o.parties[impl_->o.me].port; }
void HttpTransport::SetPeerPort(size_t k, int port) { impl_->o.parties.at(k).port = port; }
std::span<Channel* const> HttpTransport::channels() { return impl_->channels; }
uint64_t HttpTransport::bytes_sent() const { return impl_->bytes; }
uint64_t HttpTransport::frames_sent() const { return impl_->frames; }
std::vector<std::string> HttpTransport::refusals() const {
  std::lock_guard lock(impl_->refusals_mu);
  return impl_->refusals;
}

}  // namespace corridor::risk::federated
