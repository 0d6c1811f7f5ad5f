#include "risk/federated/wire.hpp"

#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>

namespace corridor::risk::federated {

namespace {

constexpr size_t kHeader = 1 + 4 + 4 + 4;

void PutU32(std::string& out, uint32_t v) {
  for (int k = 3; k >= 0; --k) out.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}

uint32_t GetU32(std::string_view in) {
  uint32_t v = 0;
  for (size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<uint8_t>(in[k]);
  return v;
}

Error Malformed(std::string_view what, std::string_view why) {
  return Error::Invalid(fmt::format("/message/{}", what), std::string(why));
}

}  // namespace

std::string EncodeFrame(const Frame& f) {
  std::string out;
  out.reserve(kHeader + f.body.size());
  out.push_back(static_cast<char>(f.kind));
  PutU32(out, f.round);
  PutU32(out, f.seq);
  PutU32(out, static_cast<uint32_t>(f.body.size()));
  out += f.body;
  return out;
}

Result<Frame> DecodeFrame(std::string_view bytes) {
  if (bytes.size() < kHeader) return Fail(Malformed("header", "is shorter than 13 bytes"));
  Frame f;
  f.kind = static_cast<uint8_t>(bytes[0]);
  f.round = GetU32(bytes.substr(1));
  f.seq = GetU32(bytes.substr(5));
  const uint32_t length = GetU32(bytes.substr(9));
  if (length != bytes.size() - kHeader) {
    return Fail(Malformed("length", fmt::format("says {} bytes of body, the frame has {}", length,
                                                bytes.size() - kHeader)));
  }
  f.body = std::string(bytes.substr(kHeader));
  return f;
}

// --- bodies ---

Writer& Writer::U8(uint8_t v) {
  out_.push_back(static_cast<char>(v));
  return *this;
}
Writer& Writer::U32(uint32_t v) {
  PutU32(out_, v);
  return *this;
}
Writer& Writer::U64(uint64_t v) {
  PutU32(out_, static_cast<uint32_t>(v >> 32));
  PutU32(out_, static_cast<uint32_t>(v));
  return *this;
}
Writer& Writer::I128(Int128 v) {
  const auto u = static_cast<UInt128>(v);
  U64(static_cast<uint64_t>(u >> 64));
  return U64(static_cast<uint64_t>(u));
}
Writer& Writer::F64(double v) { return U64(std::bit_cast<uint64_t>(v)); }
Writer& Writer::Bytes(std::string_view v) {
  U32(static_cast<uint32_t>(v.size()));
  out_ += v;
  return *this;
}
Writer& Writer::Number(const Big& v) { return Bytes(ToBytes(v)); }

Result<std::string_view> Reader::Take(size_t n, std::string_view what) {
  if (in_.size() < n) return Fail(Malformed(what, "the message ends too soon"));
  const auto out = in_.substr(0, n);
  in_.remove_prefix(n);
  return out;
}
Result<uint8_t> Reader::U8(std::string_view what) {
  return static_cast<uint8_t>(CORRIDOR_TRY(Take(1, what))[0]);
}
Result<uint32_t> Reader::U32(std::string_view what) { return GetU32(CORRIDOR_TRY(Take(4, what))); }
Result<uint64_t> Reader::U64(std::string_view what) {
  const uint64_t hi = CORRIDOR_TRY(U32(what));
  const uint64_t lo = CORRIDOR_TRY(U32(what));
  return (hi << 32) | lo;
}
Result<Int128> Reader::I128(std::string_view what) {
  const UInt128 hi = CORRIDOR_TRY(U64(what));
  const UInt128 lo = CORRIDOR_TRY(U64(what));
  return static_cast<Int128>((hi << 64) | lo);
}
Result<double> Reader::F64(std::string_view what) {
  const double v = std::bit_cast<double>(CORRIDOR_TRY(U64(what)));
  if (!std::isfinite(v)) return Fail(Malformed(what, "must be a finite number"));
  return v;
}
Result<std::string> Reader::Bytes(std::string_view what, size_t max) {
  const uint32_t n = CORRIDOR_TRY(U32(what));
  if (n > max) return Fail(Malformed(what, fmt::format("is longer than {} bytes", max)));
  return std::string(CORRIDOR_TRY(Take(n, what)));
}
Result<Big> Reader::Number(std::string_view what, size_t max_bytes) {
  return FromBytes(CORRIDOR_TRY(Bytes(what, max_bytes)));
}
Status Reader::End() {
  if (!in_.empty()) return Fail(Malformed("end", "the message goes on past its last field"));
  return {};
}

// --- links ---

void QueueLink::Send(std::string frame) {
  {
    std::lock_guard lock(mu_);
    bytes_ += frame.size();
    ++frames_;
    if (record_) recorded_.push_back(frame);
    queue_.push_back(std::move(frame));
  }
  cv_.notify_one();
}

Result<std::string> QueueLink::Receive() {
  std::unique_lock lock(mu_);
  const auto ready = [&] { return !queue_.empty() || closed_; };
  if (timeout_ms_ > 0) {
    if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms_), ready)) {
      return Fail(Error{ErrorCode::kUnavailable,
                        fmt::format("{} sent nothing for {} s", peer_, timeout_ms_ / 1000),
                        {}});
    }
  } else {
    cv_.wait(lock, ready);
  }
  if (queue_.empty()) {
    if (error_) return Fail(*error_);
    return Fail(Error{ErrorCode::kUnavailable, "the other party has left the protocol", {}});
  }
  std::string out = std::move(queue_.front());
  queue_.pop_front();
  return out;
}

void QueueLink::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

void QueueLink::CloseWith(Error error) {
  {
    std::lock_guard lock(mu_);
    if (!closed_) error_ = std::move(error);
    closed_ = true;
  }
  cv_.notify_all();
}

void QueueLink::SetTimeout(int ms, std::string peer) {
  std::lock_guard lock(mu_);
  timeout_ms_ = ms;
  peer_ = std::move(peer);
}

uint64_t QueueLink::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}
uint64_t QueueLink::frames() const {
  std::lock_guard lock(mu_);
  return frames_;
}
std::vector<std::string> QueueLink::recorded() const {
  std::lock_guard lock(mu_);
  return recorded_;
}

void Channel::Send(uint8_t kind, uint32_t round, std::string body) {
  out_.Send(EncodeFrame({.kind = kind, .round = round, .seq = sent_++, .body = std::move(body)}));
}

Result<std::string> Channel::Expect(uint8_t kind, uint32_t round) {
  const std::string bytes = CORRIDOR_TRY(in_.Receive());
  Frame f = CORRIDOR_TRY(DecodeFrame(bytes));
  if (f.seq != received_) {
    return Fail(Malformed("seq", fmt::format("is {}, expected {}: a replayed or reordered "
                                             "message",
                                             f.seq, received_)));
  }
  if (f.kind == kAbortKind && kind != kAbortKind) {
    ++received_;
    return Fail(Error{ErrorCode::kUnavailable,
                      fmt::format("the other party stopped: {}", f.body.substr(0, 1000)),
                      {}});
  }
  if (f.kind != kind) {
    return Fail(Malformed("kind", fmt::format("is {}, expected {}", f.kind, kind)));
  }
  if (f.round != round) {
    return Fail(Malformed("round", fmt::format("is {}, expected {}", f.round, round)));
  }
  ++received_;
  return std::move(f.body);
}

}  // namespace corridor::risk::federated
