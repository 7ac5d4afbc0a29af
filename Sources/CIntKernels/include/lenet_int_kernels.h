/* The int8 path's multiply-accumulate loops. They live in C because they need pmaddwd
 * (16-bit pairs multiplied and summed into 32-bit lanes): Swift's SIMD types cannot reach
 * it, and LLVM does not form it from Swift's generic vector code (tried: it emits vpmulld
 * and shuffles). Everything around them -- quantizing, requantizing, pooling, layouts -- is
 * Swift. Internal to the engine: hidden from liblenet.so's exports.
 *
 * The multiplies take two consecutive k at once ("a pair": two int16 halves of a uint32);
 * activations are uint8 codes, widened to 16 bits as they are read.
 * The scalar twins are in Sources/LeNetCore/Quantization/IntegerReference.swift. */
#ifndef LENET_INT_KERNELS_H
#define LENET_INT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Which code runs: 0 SSE2 on x86-64 (plain C elsewhere), 1 AVX2, 2 AVX-512 BW, 3 plain C
 * (for tests). The caller passes a level the CPU has. */
#define LENETQ_BASELINE 0
#define LENETQ_AVX2 1
#define LENETQ_AVX512 2
#define LENETQ_PORTABLE 3

/* Geometry of conv1's input: 32 rows of `LENETQ_PAIR_ROW` pairs, pair (y, x) holding
 * input (y, x) in its low half and (y, x + 1) in its high half; pairs past x = 31 are 0. */
#define LENETQ_PAIR_ROW 40

/* conv1 (1 -> 6 channels, 5x5) followed by 2x2 max-pooling, on int32 sums:
 * out[(c * 14 + py) * 16 + px] = max over the 2x2 window at (py, px) of
 *     sum_{ky < 5, j < 3} pairdot(pairs[(y + ky) * 40 + x + 2 j], weights[(c * 5 + ky) * 3 + j])
 * for px < 14; lanes 14 and 15 of each row are unspecified. `weights` holds 90 pairs,
 * tap (ky, 2j) low, (ky, 2j + 1) high, the sixth tap of a row zero. */
__attribute__((visibility("hidden")))
void lenetq_conv1_pool(int level, const uint32_t *pairs, const uint32_t *weights, int32_t *out);

/* C[i][16 q + j] = sum_{k < 2 kpairs} a[i * lda + k] * B_q(k, j) for i < m, q < blocks, j < 16:
 * A is uint8, lda bytes a row; B_q, the 16-column block at b + q * kpairs * 32 (int16), is
 * stored as [pair k / 2][column j][k % 2]. C is overwritten; ldc >= 16 * blocks. */
__attribute__((visibility("hidden")))
void lenetq_gemm(int level, const uint8_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t m,
                 size_t blocks, size_t kpairs);

/* The same two operations with vpdpbusd (four uint8 x int8 products per lane), on quads of
 * uint8 activations and int8 weights: at LENETQ_AVX512 on CPUs with AVX-512 VNNI, at
 * LENETQ_AVX2 on CPUs with AVX-VNNI; plain C otherwise (for the tests and other
 * architectures). conv1: quad (y, x) holds input codes (y, x ..< x + 4) in its bytes (0
 * past x = 31); `weights` holds 60 quads, (c * 5 + ky) * 2 + j covering taps
 * (ky, 4 j ..< 4 j + 4), those past kx = 4 zero. gemm: A as lenetq_gemm's, read in quads;
 * B_q at b + q * kquads * 64 (int8) stored as [quad p][column j][4]. */
/* 1 when the quad kernels run on vpdpbusd at `level`. */
__attribute__((visibility("hidden"))) int lenetq_has_vnni(int level);
__attribute__((visibility("hidden")))
void lenetq_conv1_pool_quads(int level, const uint32_t *quads, const uint32_t *weights, int32_t *out);
__attribute__((visibility("hidden")))
void lenetq_gemm_quads(int level, const uint8_t *a, size_t lda, const int8_t *b, int32_t *c, size_t ldc, size_t m,
                       size_t blocks, size_t kquads);

#endif
