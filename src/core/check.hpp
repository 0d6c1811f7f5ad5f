#pragma once
// CORRIDOR_CHECK aborts on a broken invariant that no input can reach. Input errors are values
// (see result.hpp), never checks.
#include <cstdio>
#include <cstdlib>

#define CORRIDOR_CHECK(cond)                                                        \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)
