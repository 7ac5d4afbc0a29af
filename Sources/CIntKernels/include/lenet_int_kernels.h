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

/* Which loops run (`variant` below). The caller passes a variant this CPU has (the engine
 * detects the features once, in CCPU); the loops never check. The pair functions take a
 * VNNI variant as its level's pairs (AVX2, AVX-512 BW); the quad functions run plain C at
 * a pair variant (for the tests). Off x86-64 every variant runs plain C. */
#define LENETQ_PORTABLE 0     /* plain C */
#define LENETQ_SSE2_PAIRS 1   /* pmaddwd on xmm (the x86-64 baseline) */
#define LENETQ_AVX2_PAIRS 2   /* vpmaddwd on ymm */
#define LENETQ_AVX512_PAIRS 3 /* vpmaddwd on zmm (AVX-512 BW) */
#define LENETQ_AVX_VNNI 4     /* vpdpbusd on ymm (AVX-VNNI) */
#define LENETQ_AVX512_VNNI 5  /* vpdpbusd on zmm (AVX-512 VNNI) */
#define LENETQ_AVX2_BYTES 6   /* vpmaddubsw + vpmaddwd on ymm (AVX2): quads, for weights in -63...63 only */

/* Geometry of conv1's input: 32 rows of `LENETQ_PAIR_ROW` pairs, pair (y, x) holding
 * input (y, x) in its low half and (y, x + 1) in its high half; pairs past x = 31 are 0. */
#define LENETQ_PAIR_ROW 40

/* conv1's quads: 32 rows of horizontal quads, quad (y, x) holding input codes (y, x ..< x + 4)
 * (0 past x = 31), then at LENETQ_COLUMN_QUADS 32 rows of vertical ones, quad (y, x) holding
 * codes (y ..< y + 4, x) (0 past y = 31 or x = 31). A window's 25 taps are 7 quads: its five
 * rows' taps 0-3 horizontally, and the column of taps at kx = 4 as the vertical quads at
 * (y, x + 4) and (y + 4, x + 4), the second with only its first tap weighted. */
#define LENETQ_COLUMN_QUADS (32 * LENETQ_PAIR_ROW)
#define LENETQ_CONV1_QUADS 7

/* conv1 (1 -> 6 channels, 5x5) followed by 2x2 max-pooling, on int32 sums:
 * out[(c * 14 + py) * 16 + px] = max over the 2x2 window at (py, px) of
 *     sum_{ky < 5, j < 3} pairdot(pairs[(y + ky) * 40 + x + 2 j], weights[(c * 5 + ky) * 3 + j])
 * for px < 14; lanes 14 and 15 of each row are unspecified. `weights` holds 90 pairs,
 * tap (ky, 2j) low, (ky, 2j + 1) high, the sixth tap of a row zero. */
__attribute__((visibility("hidden")))
void lenetq_conv1_pool(int variant, const uint32_t *pairs, const uint32_t *weights, int32_t *out);

/* C[i][16 q + j] = sum_{k < 2 kpairs} a[i * lda + k] * B_q(k, j) for i < m, q < blocks, j < 16:
 * A is uint8, lda bytes a row; B_q, the 16-column block at b + q * kpairs * 32 (int16), is
 * stored as [pair k / 2][column j][k % 2]. C is overwritten; ldc >= 16 * blocks. */
__attribute__((visibility("hidden")))
void lenetq_gemm(int variant, const uint8_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t m,
                 size_t blocks, size_t kpairs);

/* conv2's sums without an im2row matrix: c[p * 16 + j] = sum over k < 150 of row_p(k) * B(k, j)
 * for the 100 positions p = oy * 10 + ox, where row_p(k = (ky * 5 + kx) * 6 + ch) is
 * codes[((oy + ky) * 14 + ox + kx) * 6 + ch] (pool1's codes channel-last, [14][14][6]) and B
 * is lenetq_gemm's single 16-column block with kpairs = 75: the product lenetq_gemm forms on
 * that im2row matrix, the same sums. In a widened copy of the codes each kernel row ky of a
 * position's row is 15 consecutive pairs, so the tiles read them in place. */
__attribute__((visibility("hidden")))
void lenetq_conv2(int variant, const uint8_t *codes, const int16_t *b, int32_t *c);

/* The same two operations with vpdpbusd (four uint8 x int8 products per lane), on quads of
 * uint8 activations and int8 weights: at LENETQ_AVX512_VNNI and LENETQ_AVX_VNNI, at
 * LENETQ_AVX2_BYTES with vpmaddubsw (exact for weights in -63...63 only); plain C
 * otherwise (for the tests and other architectures). conv1: `quads` in the layout above;
 * `weights` holds 42 quads, c * 7 + ky covering taps (ky, 0 ..< 4) for ky < 5, c * 7 + 5
 * taps (0 ..< 4, 4) and c * 7 + 6 tap (4, 4) in its low byte (the other three zero), so
 * out[(c * 14 + py) * 16 + px] = max over the 2x2 window at (py, px) of
 *     sum_{ky < 5} quaddot(H(y + ky, x), w[c * 7 + ky]) + quaddot(V(y, x + 4), w[c * 7 + 5])
 *     + quaddot(V(y + 4, x + 4), w[c * 7 + 6])
 * for px < 14 (lanes 14 and 15 unspecified). gemm: A as lenetq_gemm's, read in quads;
 * B_q at b + q * kquads * 64 (int8) stored as [quad p][column j][4]. */
__attribute__((visibility("hidden")))
void lenetq_conv1_pool_quads(int variant, const uint32_t *quads, const uint32_t *weights, int32_t *out);
__attribute__((visibility("hidden")))
void lenetq_gemm_quads(int variant, const uint8_t *a, size_t lda, const int8_t *b, int32_t *c, size_t ldc, size_t m,
                       size_t blocks, size_t kquads);

#endif
