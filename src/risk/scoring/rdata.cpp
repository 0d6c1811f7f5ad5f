#include "risk/scoring/rdata.hpp"

#include <bzlib.h>
#include <fmt/format.h>
#include <zlib.h>

#include <bit>
#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

namespace corridor::risk::scoring {
namespace {

// SEXP types and special items of the serialization (R Internals §1.8; serialize.c).
enum : int {
  kSymSxp = 1,
  kListSxp = 2,
  kCharSxp = 9,
  kLglSxp = 10,
  kIntSxp = 13,
  kRealSxp = 14,
  kStrSxp = 16,
  kVecSxp = 19,
  kNilValue = 254,
  kRefSxp = 255,
};
constexpr int kHasAttributes = 1 << 9;
constexpr int kHasTag = 1 << 10;
constexpr size_t kMaxLength = size_t{1} << 31;

Error Bad(const std::string& what) {
  return Error::Invalid("/file", "not an R data file: " + what);
}

Result<std::string> Decompress(const std::string& raw) {
  const auto magic = [&](std::initializer_list<unsigned char> m) {
    return raw.size() >= m.size() &&
           std::equal(m.begin(), m.end(), raw.begin(),
                      [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
  };
  std::string out;
  char buffer[1 << 16];
  if (magic({'B', 'Z', 'h'})) {
    bz_stream s{};
    if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) return Fail(Bad("bzip2 init"));
    std::unique_ptr<bz_stream, void (*)(bz_stream*)> guard(
        &s, [](bz_stream* p) { BZ2_bzDecompressEnd(p); });
    s.next_in = const_cast<char*>(raw.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    s.avail_in = static_cast<unsigned>(raw.size());
    for (int rc = BZ_OK; rc != BZ_STREAM_END;) {
      s.next_out = buffer;
      s.avail_out = sizeof buffer;
      rc = BZ2_bzDecompress(&s);
      if (rc != BZ_OK && rc != BZ_STREAM_END) return Fail(Bad("corrupt bzip2 data"));
      out.append(buffer, sizeof buffer - s.avail_out);
      if (rc == BZ_OK && s.avail_in == 0 && s.avail_out != 0) return Fail(Bad("truncated bzip2"));
    }
    return out;
  }
  if (magic({0x1f, 0x8b})) {
    z_stream s{};
    if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) return Fail(Bad("gzip init"));
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&s, inflateEnd);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));  // NOLINT
    s.avail_in = static_cast<uInt>(raw.size());
    for (int rc = Z_OK; rc != Z_STREAM_END;) {
      s.next_out = reinterpret_cast<Bytef*>(buffer);
      s.avail_out = sizeof buffer;
      rc = inflate(&s, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) return Fail(Bad("corrupt gzip data"));
      out.append(buffer, sizeof buffer - s.avail_out);
      if (rc == Z_OK && s.avail_in == 0 && s.avail_out != 0) return Fail(Bad("truncated gzip"));
    }
    return out;
  }
  return raw;
}

// One deserialized item: what a data frame needs.
struct Item {
  int type = kNilValue;
  std::string text;                                 // CHARSXP, SYMSXP: the name
  std::vector<int> ints;                            // INTSXP, LGLSXP
  std::vector<double> reals;                        // REALSXP
  std::vector<std::optional<std::string>> strings;  // STRSXP
  std::vector<Item> items;                          // VECSXP; LISTSXP: the values, tags in `tags`
  std::vector<std::string> tags;                    // LISTSXP
  std::vector<std::string> attribute_names;         // and their values, in order
  std::vector<Item> attribute_values;
  const Item* Attribute(std::string_view name) const {
    for (size_t k = 0; k < attribute_names.size(); ++k) {
      if (attribute_names[k] == name) return &attribute_values[k];
    }
    return nullptr;
  }
};

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  Result<Item> Top() {
    if (!data_.starts_with("RDX2\nX\n") && !data_.starts_with("RDX3\nX\n")) {
      return Fail(Bad("no RDX2/RDX3 XDR header"));
    }
    pos_ = 7;
    const int version = CORRIDOR_TRY(Int());
    CORRIDOR_TRY(Int());  // the writer's R version
    CORRIDOR_TRY(Int());  // the oldest R that reads it
    if (version == 3) {
      const int n = CORRIDOR_TRY(Int());  // the native encoding's name
      CORRIDOR_TRY(Bytes(static_cast<size_t>(n)));
    } else if (version != 2) {
      return Fail(Bad(fmt::format("serialization version {}", version)));
    }
    return Read(0);
  }

 private:
  Result<int> Int() {
    if (pos_ + 4 > data_.size()) return Fail(Bad("truncated"));
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(data_[pos_++]);
    return static_cast<int>(v);
  }
  Result<double> Real() {
    if (pos_ + 8 > data_.size()) return Fail(Bad("truncated"));
    uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | static_cast<unsigned char>(data_[pos_++]);
    return std::bit_cast<double>(v);
  }
  Result<std::string_view> Bytes(size_t n) {
    if (pos_ + n > data_.size()) return Fail(Bad("truncated"));
    const auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  Result<size_t> Length() {
    const int n = CORRIDOR_TRY(Int());
    if (n >= 0) return static_cast<size_t>(n);
    if (n != -1) return Fail(Bad("negative length"));
    const auto hi = static_cast<uint32_t>(CORRIDOR_TRY(Int()));
    const auto lo = static_cast<uint32_t>(CORRIDOR_TRY(Int()));
    const uint64_t len = (uint64_t{hi} << 32) | lo;
    if (len > kMaxLength) return Fail(Bad("a vector too long"));
    return static_cast<size_t>(len);
  }

  Result<Item> Read(int depth) {
    if (depth > 64) return Fail(Bad("nested too deep"));
    const int flags = CORRIDOR_TRY(Int());
    const int type = flags & 0xff;
    Item item;
    item.type = type;
    switch (type) {
      case kNilValue:
        return item;
      case kRefSxp: {
        int index = flags >> 8;
        if (index == 0) index = CORRIDOR_TRY(Int());
        if (index < 1 || static_cast<size_t>(index) > refs_.size()) return Fail(Bad("bad ref"));
        return refs_[static_cast<size_t>(index) - 1];
      }
      case kSymSxp: {
        Item name = CORRIDOR_TRY(Read(depth + 1));
        item.text = std::move(name.text);
        refs_.push_back(item);
        return item;
      }
      case kCharSxp: {
        const int n = CORRIDOR_TRY(Int());
        if (n == -1) {
          item.type = kNilValue;  // NA_STRING
          return item;
        }
        item.text = std::string(CORRIDOR_TRY(Bytes(static_cast<size_t>(n))));
        return item;
      }
      case kListSxp: {
        // A pairlist, iteratively: [attributes] [tag] car, then the cdr's flags.
        for (int f = flags;;) {
          if ((f & kHasAttributes) != 0) CORRIDOR_TRY(Read(depth + 1));
          std::string tag;
          if ((f & kHasTag) != 0) tag = CORRIDOR_TRY(Read(depth + 1)).text;
          item.tags.push_back(std::move(tag));
          item.items.push_back(CORRIDOR_TRY(Read(depth + 1)));
          f = CORRIDOR_TRY(Int());
          if ((f & 0xff) == kNilValue) break;
          if ((f & 0xff) != kListSxp) return Fail(Bad("a pairlist ends in another type"));
        }
        return item;
      }
      case kLglSxp:
      case kIntSxp: {
        const size_t n = CORRIDOR_TRY(Length());
        item.ints.resize(n);
        for (size_t i = 0; i < n; ++i) item.ints[i] = CORRIDOR_TRY(Int());
        break;
      }
      case kRealSxp: {
        const size_t n = CORRIDOR_TRY(Length());
        item.reals.resize(n);
        for (size_t i = 0; i < n; ++i) item.reals[i] = CORRIDOR_TRY(Real());
        break;
      }
      case kStrSxp: {
        const size_t n = CORRIDOR_TRY(Length());
        for (size_t i = 0; i < n; ++i) {
          Item s = CORRIDOR_TRY(Read(depth + 1));
          item.strings.push_back(s.type == kNilValue ? std::nullopt
                                                     : std::optional<std::string>(s.text));
        }
        break;
      }
      case kVecSxp: {
        const size_t n = CORRIDOR_TRY(Length());
        for (size_t i = 0; i < n; ++i) item.items.push_back(CORRIDOR_TRY(Read(depth + 1)));
        break;
      }
      default:
        return Fail(Bad(fmt::format("an R object of type {} (not a data frame's part)", type)));
    }
    if ((flags & kHasAttributes) != 0) {
      Item attributes = CORRIDOR_TRY(Read(depth + 1));
      item.attribute_names = std::move(attributes.tags);
      item.attribute_values = std::move(attributes.items);
    }
    return item;
  }

  std::string_view data_;
  size_t pos_ = 0;
  std::vector<Item> refs_;
};

}  // namespace

const RColumn* RDataFrame::Find(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Result<RDataFrame> ReadRDataFrame(const std::string& path, std::string_view object) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Fail(Error::NotFound(fmt::format("the R data file {}", path)));
  const std::string raw{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  const std::string data = CORRIDOR_TRY(Decompress(raw));
  Reader reader(data);
  const Item top = CORRIDOR_TRY(reader.Top());
  const Item* frame = nullptr;
  for (size_t k = 0; k < top.items.size(); ++k) {
    if (top.tags[k] == object) frame = &top.items[k];
  }
  if (frame == nullptr) return Fail(Error::NotFound(fmt::format("{} in {}", object, path)));
  const Item* names = frame->Attribute("names");
  if (frame->type != kVecSxp || names == nullptr || names->strings.size() != frame->items.size()) {
    return Fail(Bad(fmt::format("{} is not a data frame", object)));
  }
  RDataFrame out;
  for (size_t j = 0; j < frame->items.size(); ++j) {
    const Item& v = frame->items[j];
    RColumn col;
    col.name = names->strings[j].value_or("");
    if (const Item* levels = v.Attribute("levels"); levels != nullptr && v.type == kIntSxp) {
      col.factor = true;
      for (const auto& l : levels->strings) col.levels.push_back(l.value_or("NA"));
      for (int code : v.ints) col.codes.push_back(code == INT_MIN ? -1 : code - 1);
    } else if (v.type == kRealSxp) {
      col.numbers = v.reals;
    } else if (v.type == kIntSxp || v.type == kLglSxp) {
      for (int x : v.ints) col.numbers.push_back(x == INT_MIN ? NAN : static_cast<double>(x));
    } else {
      return Fail(
          Bad(fmt::format("column {} of {} is neither numeric nor a factor", col.name, object)));
    }
    const size_t n = col.factor ? col.codes.size() : col.numbers.size();
    if (j == 0) out.rows = n;
    if (n != out.rows) return Fail(Bad(fmt::format("column {} has {} rows", col.name, n)));
    out.columns.push_back(std::move(col));
  }
  return out;
}

}  // namespace corridor::risk::scoring
