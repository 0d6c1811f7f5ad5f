#pragma once
// 128-bit integers for exact intermediate products of money and rates (fen * bps never
// overflows). GCC and Clang provide them; __extension__ keeps -Wpedantic quiet.
namespace corridor {
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;
}  // namespace corridor
