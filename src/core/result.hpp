#pragma once
// Result<T>: either a T or an Error. Every operation that can fail on input, I/O or conflict
// returns one; callers must look at it.
#include <tl/expected.hpp>

#include "core/error.hpp"

namespace corridor {

template <typename T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace corridor

// Propagates the error of a Result expression, or yields its value (GNU statement expression,
// accepted by GCC and Clang).
#define CORRIDOR_TRY(expr)                                                                       \
  __extension__({                                                                                \
    auto corridor_try_result_ = (expr);                                                          \
    if (!corridor_try_result_) return ::corridor::Fail(std::move(corridor_try_result_.error())); \
    std::move(*corridor_try_result_);                                                            \
  })

#define CORRIDOR_TRY_STATUS(expr)                                                                \
  do {                                                                                           \
    auto corridor_try_status_ = (expr);                                                          \
    if (!corridor_try_status_) return ::corridor::Fail(std::move(corridor_try_status_.error())); \
  } while (false)
