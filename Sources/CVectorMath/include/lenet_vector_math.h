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

typedef unsigned char lenet_u8x32 __attribute__((ext_vector_type(32)));
typedef unsigned char lenet_u8x64 __attribute__((ext_vector_type(64)));
typedef unsigned char lenet_u8x128 __attribute__((ext_vector_type(128)));

/* dst[i] = a[i] | b[i] << 8 | c[i] << 16 | d[i] << 24 for i < 32: four rows of bytes
 * interleaved into 32 quads by byte and word unpacks, int8 conv1's column quads. The loop
 * that widened each byte to 32 bits, shifted and or-ed them took four times the work. */
static inline __attribute__((always_inline)) void lenet_interleave4x32(const unsigned char *a, const unsigned char *b,
                                                                       const unsigned char *c, const unsigned char *d,
                                                                       unsigned int *dst) {
    lenet_u8x32 va, vb, vc, vd;
    __builtin_memcpy(&va, a, 32);
    __builtin_memcpy(&vb, b, 32);
    __builtin_memcpy(&vc, c, 32);
    __builtin_memcpy(&vd, d, 32);
    lenet_u8x64 ab = __builtin_shufflevector(va, vb, 0, 32, 1, 33, 2, 34, 3, 35, 4, 36, 5, 37, 6, 38, 7, 39, 8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47, 16, 48, 17, 49, 18, 50, 19, 51, 20, 52, 21, 53, 22, 54, 23, 55, 24, 56, 25, 57, 26, 58, 27, 59, 28, 60, 29, 61, 30, 62, 31, 63);
    lenet_u8x64 cd = __builtin_shufflevector(vc, vd, 0, 32, 1, 33, 2, 34, 3, 35, 4, 36, 5, 37, 6, 38, 7, 39, 8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47, 16, 48, 17, 49, 18, 50, 19, 51, 20, 52, 21, 53, 22, 54, 23, 55, 24, 56, 25, 57, 26, 58, 27, 59, 28, 60, 29, 61, 30, 62, 31, 63);
    lenet_u8x128 abcd = __builtin_shufflevector(ab, cd, 0, 1, 64, 65, 2, 3, 66, 67, 4, 5, 68, 69, 6, 7, 70, 71, 8, 9, 72, 73, 10, 11, 74, 75, 12, 13, 76, 77, 14, 15, 78, 79, 16, 17, 80, 81, 18, 19, 82, 83, 20, 21, 84, 85, 22, 23, 86, 87, 24, 25, 88, 89, 26, 27, 90, 91, 28, 29, 92, 93, 30, 31, 94, 95, 32, 33, 96, 97, 34, 35, 98, 99, 36, 37, 100, 101, 38, 39, 102, 103, 40, 41, 104, 105, 42, 43, 106, 107, 44, 45, 108, 109, 46, 47, 110, 111, 48, 49, 112, 113, 50, 51, 114, 115, 52, 53, 116, 117, 54, 55, 118, 119, 56, 57, 120, 121, 58, 59, 122, 123, 60, 61, 124, 125, 62, 63, 126, 127);
    __builtin_memcpy(dst, &abcd, 128);
}

typedef unsigned char lenet_u8x16 __attribute__((ext_vector_type(16)));
typedef unsigned char lenet_u8x96 __attribute__((ext_vector_type(96)));

/* Six rows of 16 bytes (channels 0-5 of pooled conv1, one row of positions each)
 * interleaved channel-last: dst[px * 6 + c] = row_c[px] for px < 16, 96 bytes (the last 12
 * those of positions 14 and 15). Byte shuffles; the byte-by-byte loop took 8% of an int8
 * inference at AVX2. */
static inline __attribute__((always_inline)) void lenet_interleave6x16(const unsigned char *src, size_t stride,
                                                                       unsigned char *dst) {
    lenet_u8x16 r0, r1, r2, r3, r4, r5;
    __builtin_memcpy(&r0, src, 16);
    __builtin_memcpy(&r1, src + stride, 16);
    __builtin_memcpy(&r2, src + 2 * stride, 16);
    __builtin_memcpy(&r3, src + 3 * stride, 16);
    __builtin_memcpy(&r4, src + 4 * stride, 16);
    __builtin_memcpy(&r5, src + 5 * stride, 16);
    lenet_u8x32 r01 = __builtin_shufflevector(r0, r1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    lenet_u8x32 r23 = __builtin_shufflevector(r2, r3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    lenet_u8x32 r45 = __builtin_shufflevector(r4, r5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    lenet_u8x64 r0123 = __builtin_shufflevector(r01, r23, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63);
    lenet_u8x64 r45x = __builtin_shufflevector(r45, r45, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    lenet_u8x128 all = __builtin_shufflevector(r0123, r45x, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127);
    lenet_u8x96 out = __builtin_shufflevector(all, all, 0, 16, 32, 48, 64, 80, 1, 17, 33, 49, 65, 81, 2, 18, 34, 50, 66, 82, 3, 19, 35, 51, 67, 83, 4, 20, 36, 52, 68, 84, 5, 21, 37, 53, 69, 85, 6, 22, 38, 54, 70, 86, 7, 23, 39, 55, 71, 87, 8, 24, 40, 56, 72, 88, 9, 25, 41, 57, 73, 89, 10, 26, 42, 58, 74, 90, 11, 27, 43, 59, 75, 91, 12, 28, 44, 60, 76, 92, 13, 29, 45, 61, 77, 93, 14, 30, 46, 62, 78, 94, 15, 31, 47, 63, 79, 95);
    __builtin_memcpy(dst, &out, 96);
}

#endif
