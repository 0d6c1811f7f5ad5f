#pragma once
// A fuzz target is written once and runs two ways: under libFuzzer (`scripts/fuzz`, clang,
// CORRIDOR_LIBFUZZER defined) as LLVMFuzzerTestOneInput, and in the normal build as a registered
// function that fuzz_smoke replays over the seed corpus and deterministic mutations of it (the
// seconds-long smoke run of ./scripts/test). A target returns 0 and aborts on a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace corridor::fuzz {

using Target = int (*)(const uint8_t* data, size_t size);

struct Registered {
  std::string name;
  Target target;
};
std::vector<Registered>& Targets();
inline bool Register(const char* name, Target target) {
  Targets().push_back({name, target});
  return true;
}

}  // namespace corridor::fuzz

#ifdef CORRIDOR_LIBFUZZER
#define CORRIDOR_FUZZ_ENTRY(name)                                           \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    return name##Fuzz(data, size);                                          \
  }
#else
#define CORRIDOR_FUZZ_ENTRY(name)                        \
  [[maybe_unused]] static const bool name##_registered = \
      ::corridor::fuzz::Register(#name, name##Fuzz);
#endif

#define CORRIDOR_FUZZ_TARGET(name)                         \
  static int name##Fuzz(const uint8_t* data, size_t size); \
  CORRIDOR_FUZZ_ENTRY(name)                                \
  static int name##Fuzz(const uint8_t* data, size_t size)

// A finding: abort so that libFuzzer (or the smoke test) reports the input.
#define CORRIDOR_FUZZ_CHECK(cond) \
  do {                            \
    if (!(cond)) std::abort();    \
  } while (false)
