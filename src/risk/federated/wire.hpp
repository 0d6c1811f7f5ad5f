#pragma once
// The federated protocols' messages as they travel: a frame
//   [u8 kind][u32 round][u32 seq][u32 length][length bytes of body]   (big-endian)
// and bodies written and read field by field (Writer, Reader). A reader that runs past its body,
// or a frame whose length disagrees with its bytes, is a malformed message, refused with the
// field it failed on. A link checks that each frame is the kind expected, of the round expected,
// and that its sequence number is the next one: a replayed or reordered frame is refused.
//
// A Link is one direction between two parties. QueueLink is the in-process one (`corridor calc
// vertical-lr`, the tests): a queue of encoded frames between parties on their own threads,
// counting the bytes that pass. The HTTP transport between processes (transport.hpp) carries the
// same frames.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/int128.hpp"
#include "core/result.hpp"
#include "risk/federated/random.hpp"

namespace corridor::risk::federated {

struct Frame {
  uint8_t kind = 0;
  uint32_t round = 0;
  uint32_t seq = 0;
  std::string body;
};
std::string EncodeFrame(const Frame& f);
Result<Frame> DecodeFrame(std::string_view bytes);

class Writer {
 public:
  Writer& U8(uint8_t v);
  Writer& U32(uint32_t v);
  Writer& U64(uint64_t v);
  Writer& I128(Int128 v);
  Writer& F64(double v);
  Writer& Bytes(std::string_view v);  // length-prefixed
  Writer& Number(const Big& v);       // non-negative, length-prefixed big-endian
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view body) : in_(body) {}
  explicit Reader(std::string&&) = delete;  // the body must outlive the reader
  // Each read names `what` in the error when the body ends too soon or holds a bad value.
  Result<uint8_t> U8(std::string_view what);
  Result<uint32_t> U32(std::string_view what);
  Result<uint64_t> U64(std::string_view what);
  Result<Int128> I128(std::string_view what);
  Result<double> F64(std::string_view what);  // finite only
  Result<std::string> Bytes(std::string_view what, size_t max);
  Result<Big> Number(std::string_view what, size_t max_bytes);
  // The body must end here.
  Status End();

 private:
  Result<std::string_view> Take(size_t n, std::string_view what);
  std::string_view in_;
};

class Link {
 public:
  virtual ~Link() = default;
  virtual void Send(std::string frame) = 0;
  // The next frame; an error once the link is closed with nothing left.
  virtual Result<std::string> Receive() = 0;
  virtual void Close() = 0;
};

class QueueLink : public Link {
 public:
  void Send(std::string frame) override;
  Result<std::string> Receive() override;
  void Close() override;
  // Closes with a reason: Receive answers it once the queue is empty.
  void CloseWith(Error error);
  // Receive waits at most this long, then fails naming `peer` (default: without end).
  void SetTimeout(int ms, std::string peer);
  uint64_t bytes() const;
  uint64_t frames() const;
  // Keeps a copy of every frame sent (for tests of what a party sees).
  void Record() { record_ = true; }
  std::vector<std::string> recorded() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  std::optional<Error> error_;
  bool record_ = false;
  int timeout_ms_ = 0;
  std::string peer_;
  std::vector<std::string> recorded_;
  uint64_t bytes_ = 0, frames_ = 0;
};

// A party that stops (bad input, a refused message) tells the others with a frame of this kind,
// its reason as the body; their next Expect fails with it instead of waiting.
constexpr uint8_t kAbortKind = 255;

// One direction of a conversation: frames sent with rising sequence numbers, frames received
// checked for kind, round and sequence.
class Channel {
 public:
  Channel(Link& out, Link& in) : out_(out), in_(in) {}
  void Send(uint8_t kind, uint32_t round, std::string body);
  void Abort(std::string_view reason) { Send(kAbortKind, 0, std::string(reason)); }
  Result<std::string> Expect(uint8_t kind, uint32_t round);

 private:
  Link& out_;
  Link& in_;
  uint32_t sent_ = 0, received_ = 0;
};

}  // namespace corridor::risk::federated
