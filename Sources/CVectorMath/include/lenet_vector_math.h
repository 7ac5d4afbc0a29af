/* Vector operations Swift's SIMD types do not compile to the instructions they need, as
 * inline functions on clang vector types (a 16-float one is imported into Swift as
 * SIMD16<Float>), so each kernel build inlines them at its own CPU level. Header only: no
 * symbols. */
#ifndef LENET_VECTOR_MATH_H
#define LENET_VECTOR_MATH_H

#include <stddef.h>

typedef float lenet_f32x16 __attribute__((ext_vector_type(16)));
typedef float lenet_f32x8 __attribute__((ext_vector_type(8)));
typedef _Bool lenet_b16 __attribute__((ext_vector_type(16)));

/* SIMD16<Float>.squareRoot() is sixteen scalar square roots, each through C's sqrtf with
 * its errno check (vsqrtss + vucomiss + a branch, lane by lane): most of Adam's update, 7%
 * of a training run. This is IEEE's correctly rounded square root, the same bits as sqrtf,
 * without errno: one vsqrtps. */
static inline __attribute__((always_inline)) lenet_f32x16 lenet_sqrt16(lenet_f32x16 x) {
    return __builtin_elementwise_sqrt(x);
}

/* Bit i set when p[i] is not zero (NaN included): a compare into a mask register, which
 * Swift's SIMD comparisons reach only lane by lane. */
static inline __attribute__((always_inline)) unsigned lenet_nonzero_lanes16(const float *p) {
    lenet_f32x16 v;
    __builtin_memcpy(&v, p, sizeof v);
    return __builtin_bit_cast(unsigned short, __builtin_convertvector(v != 0, lenet_b16));
}

/* `x` in lanes 0 ..< 14, +0 in lanes 14 and 15. */
static inline __attribute__((always_inline)) lenet_f32x16 lenet_broadcast14(float x) {
    return (lenet_f32x16){x, x, x, x, x, x, x, x, x, x, x, x, x, x, 0, 0};
}

/* dst[c * dstStride + r] = src[r * srcStride + c] for r, c < 8: an 8 x 8 block transposed
 * in registers (unpack, 64-bit shuffle, 128-bit lane exchange: 24 shuffles). Swift's SIMD
 * types have no two-vector shuffle; the element loop it replaces stored one float at a time
 * down a column, and packing a transposed operand took 6% of a training run. */
static inline __attribute__((always_inline)) void lenet_transpose8x8(const float *src, size_t srcStride, float *dst,
                                                                     size_t dstStride) {
    lenet_f32x8 r[8], t[8], u[8];
    for (int i = 0; i < 8; i++) __builtin_memcpy(&r[i], src + i * srcStride, sizeof r[i]);
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    /* u[4h + q] holds column q and q + 4 of rows 4h ..< 4h + 4. */
    for (int h = 0; h < 2; h++) {
        u[4 * h] = __builtin_shufflevector(t[4 * h], t[4 * h + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[4 * h + 1] = __builtin_shufflevector(t[4 * h], t[4 * h + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[4 * h + 2] = __builtin_shufflevector(t[4 * h + 1], t[4 * h + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[4 * h + 3] = __builtin_shufflevector(t[4 * h + 1], t[4 * h + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int q = 0; q < 4; q++) {
        lenet_f32x8 low = __builtin_shufflevector(u[q], u[q + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        lenet_f32x8 high = __builtin_shufflevector(u[q], u[q + 4], 4, 5, 6, 7, 12, 13, 14, 15);
        __builtin_memcpy(dst + q * dstStride, &low, sizeof low);
        __builtin_memcpy(dst + (q + 4) * dstStride, &high, sizeof high);
    }
}

/* max(v, 0) lane by lane, -0 and NaN kept as Swift's replacing(with: 0, where: v < 0)
 * keeps them. That form on SIMD8 split the vectors a kernel kept in registers into
 * 128-bit halves (vinsertf128 on every multiply-add). */
static inline __attribute__((always_inline)) lenet_f32x8 lenet_relu8(lenet_f32x8 v) {
    const lenet_f32x8 zero = 0;
    return v < zero ? zero : v;
}

static inline __attribute__((always_inline)) lenet_f32x16 lenet_relu16(lenet_f32x16 v) {
    const lenet_f32x16 zero = 0;
    return v < zero ? zero : v;
}

/* One row of conv1's 2 x 2 max-pool: 14 outputs from two rows of 28, as the scalar rule
 * (the upper row's value where it is greater, then the left column's where it is greater)
 * on two overlapping 16-float vectors (columns 0-15 and 12-27). Left to LLVM, the
 * stride-2 loop took 8% of an inference. */
static inline __attribute__((always_inline)) void lenet_max_pool_row28(const float *r0, const float *r1, float *out) {
    lenet_f32x16 a0, a1, b0, b1;
    __builtin_memcpy(&a0, r0, sizeof a0);
    __builtin_memcpy(&a1, r0 + 12, sizeof a1);
    __builtin_memcpy(&b0, r1, sizeof b0);
    __builtin_memcpy(&b1, r1 + 12, sizeof b1);
    lenet_f32x16 v0 = a0 > b0 ? a0 : b0, v1 = a1 > b1 ? a1 : b1;
    /* Columns 0-15 from v0, 16-27 from v1's lanes 4-15. */
    lenet_f32x16 even = __builtin_shufflevector(v0, v1, 0, 2, 4, 6, 8, 10, 12, 14, 20, 22, 24, 26, 28, 30, 30, 30);
    lenet_f32x16 odd = __builtin_shufflevector(v0, v1, 1, 3, 5, 7, 9, 11, 13, 15, 21, 23, 25, 27, 29, 31, 31, 31);
    lenet_f32x16 m = even > odd ? even : odd;
    __builtin_memcpy(out, &m, 14 * sizeof(float));
}

/* Asks for the cache line holding p ahead of use (a hint: no fault, no effect on results).
 * Swift has no prefetch of its own. */
static inline __attribute__((always_inline)) void lenet_prefetch_line(const void *p) { __builtin_prefetch(p); }

#endif
