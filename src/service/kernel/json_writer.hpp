#pragma once
// JsonWriter: appends compact JSON text to a string without building a document tree, for the
// hot read paths (a loan with its schedule, the product catalogue), where building and freeing a
// tree cost more than the database reads. Strings are escaped per RFC 8259 §7; the caller
// supplies valid UTF-8. Commas are managed for the caller:
//   JsonWriter w;
//   w.BeginObject(); w.Int("id", 7); w.Key("tags"); w.BeginArray(); w.Str("a");
//   w.EndArray(); w.EndObject();
//   std::string text = w.Take();
// Not thread-safe; one per response.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace corridor::service {

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(4096); }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // Keys are the API's own field names: plain ASCII that needs no escaping.
  void Key(std::string_view key) {
    Separate();
    out_.push_back('"');
    out_.append(key);
    out_.append("\":", 2);
    after_key_ = true;
  }
  void Int(int64_t v) {
    Separate();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void Bool(bool v) {
    Separate();
    out_ += v ? "true" : "false";
  }
  void Null() {
    Separate();
    out_ += "null";
  }
  void Str(std::string_view s) {
    Separate();
    Quote(s);
  }
  // A member of the current object: key and value in one call.
  void Int(std::string_view key, int64_t v) {
    Key(key);
    Int(v);
  }
  void Str(std::string_view key, std::string_view v) {
    Key(key);
    Str(v);
  }
  // Pre-rendered JSON value (must be valid JSON).
  void Raw(std::string_view json) {
    Separate();
    out_ += json;
  }
  std::string Take() { return std::move(out_); }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (first_.back() == 0) out_.push_back(',');
      first_.back() = 0;
    }
  }
  void Open(char c) {
    Separate();
    out_.push_back(c);
    first_.push_back(1);
  }
  void Close(char c) {
    out_.push_back(c);
    first_.pop_back();
  }
  void Quote(std::string_view s) {
    out_.push_back('"');
    size_t run = 0;  // start of the current run of characters that need no escaping
    for (size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          out_.append(escaped, sizeof escaped);
        }
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_.push_back('"');
  }

  std::string out_;
  std::vector<char> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace corridor::service
