#include "lenet_int_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* pmaddwd on one lane: two 16-bit products summed in 32 bits. */
static inline int32_t pairdot(uint32_t a, uint32_t b) {
    return (int32_t)(int16_t)(a & 0xffff) * (int16_t)(b & 0xffff) + (int32_t)(int16_t)(a >> 16) * (int16_t)(b >> 16);
}

/* Four uint8 activations as one word (any alignment). */
static inline uint32_t load_quad(const uint8_t *p) {
    uint32_t x;
    __builtin_memcpy(&x, p, 4);
    return x;
}

/* vpdpbusd on one lane: four uint8 x int8 products summed. */
static int32_t quaddot(uint32_t a, uint32_t b) {
    int32_t s = 0;
    for (int t = 0; t < 4; t++) s += (int32_t)((a >> (8 * t)) & 0xff) * (int8_t)((b >> (8 * t)) & 0xff);
    return s;
}

/* MARK: portable C: what other architectures run (the tests check it on x86-64 too) */

static void conv1_pool_portable(const uint32_t *pairs, const uint32_t *w, int32_t *out) {
    for (int c = 0; c < 6; c++)
        for (int py = 0; py < 14; py++)
            for (int px = 0; px < 16; px++) {
                int32_t best = INT32_MIN;
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++) {
                        int y = 2 * py + dy, x = 2 * px + dx;
                        int32_t s = 0;
                        for (int ky = 0; ky < 5; ky++)
                            for (int j = 0; j < 3; j++)
                                s += pairdot(pairs[(y + ky) * LENETQ_PAIR_ROW + x + 2 * j], w[(c * 5 + ky) * 3 + j]);
                        if (s > best) best = s;
                    }
                out[(c * 14 + py) * 16 + px] = best;
            }
}

static void gemm_portable(const uint8_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t m,
                          size_t blocks, size_t kp) {
    for (size_t i = 0; i < m; i++)
        for (size_t q = 0; q < blocks; q++) {
            int32_t acc[16] = {0};
            for (size_t k = 0; k < 2 * kp; k++) {
                int32_t av = a[i * lda + k];
                const int16_t *row = b + ((q * kp + k / 2) * 16) * 2 + k % 2;
                for (int j = 0; j < 16; j++) acc[j] += av * row[2 * j];
            }
            for (int j = 0; j < 16; j++) c[i * ldc + q * 16 + j] = acc[j];
        }
}

/* conv2's pooled-map codes as pairs of int16 (channels 2j and 2j + 1 of a position). */
static void widen_conv2_codes(const uint8_t *codes, uint32_t *pairs) {
    for (int i = 0; i < 14 * 14 * 3; i++) pairs[i] = (uint32_t)codes[2 * i] | (uint32_t)codes[2 * i + 1] << 16;
}

/* Pair j of kernel row ky of position p's im2row row. */
static inline const uint32_t *conv2_row(const uint32_t *pairs, int p, int ky) {
    return pairs + ((p / 10 + ky) * 14 + p % 10) * 3;
}

static void conv2_portable(const uint32_t *pairs, const int16_t *b, int32_t *c) {
    for (int p = 0; p < 100; p++)
        for (int j = 0; j < 16; j++) {
            int32_t s = 0;
            for (int ky = 0; ky < 5; ky++) {
                const uint32_t *a = conv2_row(pairs, p, ky);
                for (int k = 0; k < 15; k++) {
                    const int16_t *w = b + (ky * 15 + k) * 32 + 2 * j;
                    s += (int32_t)(int16_t)(a[k] & 0xffff) * w[0] + (int32_t)(int16_t)(a[k] >> 16) * w[1];
                }
            }
            c[p * 16 + j] = s;
        }
}

#if defined(__x86_64__)

/* MARK: SSE2 (every x86-64) */

static void conv1_pool_sse2(const uint32_t *pairs, const uint32_t *w, int32_t *out) {
    for (int py = 0; py < 14; py++) {
        const uint32_t *rows = pairs + 2 * py * LENETQ_PAIR_ROW;
        for (int c = 0; c < 6; c++)
            for (int half = 0; half < 2; half++) {
                /* acc[o][v]: output row 2 py + o, columns 16 half + 4 v ..< + 4. */
                __m128i acc[2][4];
                for (int o = 0; o < 2; o++)
                    for (int v = 0; v < 4; v++) acc[o][v] = _mm_setzero_si128();
                for (int r = 0; r < 6; r++)
                    for (int j = 0; j < 3; j++) {
                        __m128i x[4];
                        for (int v = 0; v < 4; v++)
                            x[v] = _mm_loadu_si128((const __m128i *)(rows + r * LENETQ_PAIR_ROW + 2 * j + 16 * half + 4 * v));
                        for (int o = 0; o < 2; o++) {
                            int ky = r - o;
                            if (ky < 0 || ky > 4) continue;
                            __m128i wv = _mm_set1_epi32((int)w[(c * 5 + ky) * 3 + j]);
                            for (int v = 0; v < 4; v++) acc[o][v] = _mm_add_epi32(acc[o][v], _mm_madd_epi16(x[v], wv));
                        }
                    }
                int32_t t[16];
                for (int v = 0; v < 4; v++) {
                    /* SSE2 has no 32-bit max: compare and select. */
                    __m128i gt = _mm_cmpgt_epi32(acc[0][v], acc[1][v]);
                    __m128i m = _mm_or_si128(_mm_and_si128(gt, acc[0][v]), _mm_andnot_si128(gt, acc[1][v]));
                    _mm_storeu_si128((__m128i *)(t + 4 * v), m);
                }
                int32_t *dst = out + (c * 14 + py) * 16 + 8 * half;
                for (int px = 0; px < 8; px++) dst[px] = t[2 * px] > t[2 * px + 1] ? t[2 * px] : t[2 * px + 1];
            }
    }
}

/* ROWS x 16 columns, one block, four xmm per row. */
__attribute__((always_inline)) static inline void
tile_sse2(const uint32_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t kp, const int rows) {
    __m128i acc[2][4];
    for (int i = 0; i < rows; i++)
        for (int v = 0; v < 4; v++) acc[i][v] = _mm_setzero_si128();
    for (size_t p = 0; p < kp; p++) {
        __m128i bv[4];
        for (int v = 0; v < 4; v++) bv[v] = _mm_loadu_si128((const __m128i *)(b + p * 32 + 8 * v));
        for (int i = 0; i < rows; i++) {
            __m128i av = _mm_set1_epi32((int)a[i * lda + p]);
            for (int v = 0; v < 4; v++) acc[i][v] = _mm_add_epi32(acc[i][v], _mm_madd_epi16(av, bv[v]));
        }
    }
    for (int i = 0; i < rows; i++)
        for (int v = 0; v < 4; v++) _mm_storeu_si128((__m128i *)(c + i * ldc + 4 * v), acc[i][v]);
}

static void gemm_sse2(const uint32_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t m, size_t blocks,
                      size_t kp) {
    for (size_t q = 0; q < blocks; q++) {
        const int16_t *bq = b + q * kp * 32;
        size_t i = 0;
        for (; i + 2 <= m; i += 2) tile_sse2(a + i * lda, lda, bq, c + i * ldc + q * 16, ldc, kp, 2);
        for (; i < m; i++) tile_sse2(a + i * lda, lda, bq, c + i * ldc + q * 16, ldc, kp, 1);
    }
}

/* Two positions of conv2 (16 columns, four xmm each). */
static void conv2_sse2(const uint32_t *pairs, const int16_t *b, int32_t *c) {
    for (int p0 = 0; p0 < 100; p0 += 2) {
        __m128i acc[2][4];
        for (int i = 0; i < 2; i++)
            for (int v = 0; v < 4; v++) acc[i][v] = _mm_setzero_si128();
        for (int ky = 0; ky < 5; ky++) {
            const uint32_t *a0 = conv2_row(pairs, p0, ky), *a1 = conv2_row(pairs, p0 + 1, ky);
            const int16_t *bk = b + ky * 15 * 32;
            for (int k = 0; k < 15; k++) {
                __m128i x0 = _mm_set1_epi32((int)a0[k]), x1 = _mm_set1_epi32((int)a1[k]);
                for (int v = 0; v < 4; v++) {
                    __m128i w = _mm_loadu_si128((const __m128i *)(bk + k * 32 + 8 * v));
                    acc[0][v] = _mm_add_epi32(acc[0][v], _mm_madd_epi16(x0, w));
                    acc[1][v] = _mm_add_epi32(acc[1][v], _mm_madd_epi16(x1, w));
                }
            }
        }
        for (int i = 0; i < 2; i++)
            for (int v = 0; v < 4; v++) _mm_storeu_si128((__m128i *)(c + (p0 + i) * 16 + 4 * v), acc[i][v]);
    }
}

/* MARK: AVX2 */

#define AVX2 __attribute__((target("avx2")))

AVX2 static void conv1_pool_avx2(const uint32_t *pairs, const uint32_t *w, int32_t *out) {
    for (int py = 0; py < 14; py++) {
        const uint32_t *rows = pairs + 2 * py * LENETQ_PAIR_ROW;
        for (int c = 0; c < 6; c++) {
            /* acc[o][v]: output row 2 py + o, columns 8 v ..< 8 v + 8. */
            __m256i acc[2][4];
            for (int o = 0; o < 2; o++)
                for (int v = 0; v < 4; v++) acc[o][v] = _mm256_setzero_si256();
            for (int r = 0; r < 6; r++)
                for (int j = 0; j < 3; j++) {
                    __m256i x[4];
                    for (int v = 0; v < 4; v++) x[v] = _mm256_loadu_si256((const __m256i *)(rows + r * LENETQ_PAIR_ROW + 2 * j + 8 * v));
                    for (int o = 0; o < 2; o++) {
                        int ky = r - o;
                        if (ky < 0 || ky > 4) continue;
                        __m256i wv = _mm256_set1_epi32((int)w[(c * 5 + ky) * 3 + j]);
                        for (int v = 0; v < 4; v++) acc[o][v] = _mm256_add_epi32(acc[o][v], _mm256_madd_epi16(x[v], wv));
                    }
                }
            int32_t t[32];
            for (int v = 0; v < 4; v++) _mm256_storeu_si256((__m256i *)(t + 8 * v), _mm256_max_epi32(acc[0][v], acc[1][v]));
            int32_t *dst = out + (c * 14 + py) * 16;
            for (int px = 0; px < 16; px++) dst[px] = t[2 * px] > t[2 * px + 1] ? t[2 * px] : t[2 * px + 1];
        }
    }
}

/* ROWS x 16 columns, one block, two ymm per row. */
__attribute__((target("avx2"), always_inline)) static inline void
tile_avx2(const uint32_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t kp, const int rows) {
    __m256i acc[4][2];
    for (int i = 0; i < rows; i++) acc[i][0] = acc[i][1] = _mm256_setzero_si256();
    for (size_t p = 0; p < kp; p++) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + p * 32)), b1 = _mm256_loadu_si256((const __m256i *)(b + p * 32 + 16));
        for (int i = 0; i < rows; i++) {
            __m256i av = _mm256_set1_epi32((int)a[i * lda + p]);
            acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(av, b0));
            acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(av, b1));
        }
    }
    for (int i = 0; i < rows; i++) {
        _mm256_storeu_si256((__m256i *)(c + i * ldc), acc[i][0]);
        _mm256_storeu_si256((__m256i *)(c + i * ldc + 8), acc[i][1]);
    }
}

AVX2 static void gemm_avx2(const uint32_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t m,
                           size_t blocks, size_t kp) {
    for (size_t q = 0; q < blocks; q++) {
        const int16_t *bq = b + q * kp * 32;
        size_t i = 0;
        for (; i + 4 <= m; i += 4) tile_avx2(a + i * lda, lda, bq, c + i * ldc + q * 16, ldc, kp, 4);
        for (; i < m; i++) tile_avx2(a + i * lda, lda, bq, c + i * ldc + q * 16, ldc, kp, 1);
    }
}

/* Four positions of conv2 (16 columns, two ymm each). */
AVX2 static void conv2_avx2(const uint32_t *pairs, const int16_t *b, int32_t *c) {
    for (int p0 = 0; p0 < 100; p0 += 4) {
        __m256i acc[4][2];
        for (int i = 0; i < 4; i++) acc[i][0] = acc[i][1] = _mm256_setzero_si256();
        for (int ky = 0; ky < 5; ky++) {
            const uint32_t *a[4];
            for (int i = 0; i < 4; i++) a[i] = conv2_row(pairs, p0 + i, ky);
            const int16_t *bk = b + ky * 15 * 32;
            for (int k = 0; k < 15; k++) {
                __m256i w0 = _mm256_loadu_si256((const __m256i *)(bk + k * 32));
                __m256i w1 = _mm256_loadu_si256((const __m256i *)(bk + k * 32 + 16));
                for (int i = 0; i < 4; i++) {
                    __m256i x = _mm256_set1_epi32((int)a[i][k]);
                    acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(x, w0));
                    acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(x, w1));
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            _mm256_storeu_si256((__m256i *)(c + (p0 + i) * 16), acc[i][0]);
            _mm256_storeu_si256((__m256i *)(c + (p0 + i) * 16 + 8), acc[i][1]);
        }
    }
}

/* MARK: AVX-512 */

#define AVX512 __attribute__((target("avx512f,avx512bw")))

AVX512 static void conv1_pool_avx512(const uint32_t *pairs, const uint32_t *w, int32_t *out) {
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (int py = 0; py < 14; py++) {
        const uint32_t *rows = pairs + 2 * py * LENETQ_PAIR_ROW;
        for (int g = 0; g < 6; g += 3) {
            /* acc[c][o][v]: channel g + c, output row 2 py + o, columns 16 v ..< 16 v + 16. */
            __m512i acc[3][2][2];
            for (int c = 0; c < 3; c++)
                for (int o = 0; o < 2; o++) acc[c][o][0] = acc[c][o][1] = _mm512_setzero_si512();
            for (int r = 0; r < 6; r++)
                for (int j = 0; j < 3; j++) {
                    __m512i x0 = _mm512_loadu_si512(rows + r * LENETQ_PAIR_ROW + 2 * j);
                    __m512i x1 = _mm512_loadu_si512(rows + r * LENETQ_PAIR_ROW + 2 * j + 16);
                    for (int c = 0; c < 3; c++)
                        for (int o = 0; o < 2; o++) {
                            int ky = r - o;
                            if (ky < 0 || ky > 4) continue;
                            __m512i wv = _mm512_set1_epi32((int)w[((g + c) * 5 + ky) * 3 + j]);
                            acc[c][o][0] = _mm512_add_epi32(acc[c][o][0], _mm512_madd_epi16(x0, wv));
                            acc[c][o][1] = _mm512_add_epi32(acc[c][o][1], _mm512_madd_epi16(x1, wv));
                        }
                }
            for (int c = 0; c < 3; c++) {
                __m512i m0 = _mm512_max_epi32(acc[c][0][0], acc[c][1][0]), m1 = _mm512_max_epi32(acc[c][0][1], acc[c][1][1]);
                __m512i p = _mm512_max_epi32(_mm512_permutex2var_epi32(m0, even, m1), _mm512_permutex2var_epi32(m0, odd, m1));
                _mm512_storeu_si512(out + ((g + c) * 14 + py) * 16, p);
            }
        }
    }
}

/* ROWS x (16 BLOCKS) columns, one zmm per row and block. */
__attribute__((target("avx512f,avx512bw"), always_inline)) static inline void
tile_avx512(const uint32_t *a, size_t lda, const int16_t *b, size_t bstride, int32_t *c, size_t ldc, size_t kp,
            const int rows, const int blocks) {
    __m512i acc[4][2];
    for (int i = 0; i < rows; i++) acc[i][0] = acc[i][1] = _mm512_setzero_si512();
    for (size_t p = 0; p < kp; p++) {
        __m512i bv[2];
        for (int q = 0; q < blocks; q++) bv[q] = _mm512_loadu_si512(b + q * bstride + p * 32);
        for (int i = 0; i < rows; i++) {
            __m512i av = _mm512_set1_epi32((int)a[i * lda + p]);
            for (int q = 0; q < blocks; q++) acc[i][q] = _mm512_add_epi32(acc[i][q], _mm512_madd_epi16(av, bv[q]));
        }
    }
    for (int i = 0; i < rows; i++)
        for (int q = 0; q < blocks; q++) _mm512_storeu_si512(c + i * ldc + q * 16, acc[i][q]);
}

AVX512 static void gemm_avx512(const uint32_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t m,
                               size_t blocks, size_t kp) {
    const size_t bstride = kp * 32;
    size_t q = 0;
    for (; q + 2 <= blocks; q += 2) {
        size_t i = 0;
        for (; i + 4 <= m; i += 4) tile_avx512(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kp, 4, 2);
        for (; i < m; i++) tile_avx512(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kp, 1, 2);
    }
    for (; q < blocks; q++) {
        size_t i = 0;
        for (; i + 4 <= m; i += 4) tile_avx512(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kp, 4, 1);
        for (; i < m; i++) tile_avx512(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kp, 1, 1);
    }
}


/* Five positions of conv2 (16 columns, one zmm each). */
AVX512 static void conv2_avx512(const uint32_t *pairs, const int16_t *b, int32_t *c) {
    for (int p0 = 0; p0 < 100; p0 += 5) {
        __m512i acc[5];
        for (int i = 0; i < 5; i++) acc[i] = _mm512_setzero_si512();
        for (int ky = 0; ky < 5; ky++) {
            const uint32_t *a[5];
            for (int i = 0; i < 5; i++) a[i] = conv2_row(pairs, p0 + i, ky);
            const int16_t *bk = b + ky * 15 * 32;
            for (int k = 0; k < 15; k++) {
                __m512i w = _mm512_loadu_si512(bk + k * 32);
                for (int i = 0; i < 5; i++) acc[i] = _mm512_add_epi32(acc[i], _mm512_madd_epi16(_mm512_set1_epi32((int)a[i][k]), w));
            }
        }
        for (int i = 0; i < 5; i++) _mm512_storeu_si512(c + (p0 + i) * 16, acc[i]);
    }
}

/* MARK: AVX-512 VNNI: four uint8 x int8 products summed per lane (vpdpbusd) */

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))


/* Row r of a pooled row's six input rows (r < 6: horizontal quads at r; 6 to 9: vertical
 * ones at 0, 1, 4, 5) and its weight for output row o (-1: none). */
static inline int conv1_quad_weight(int r, int o) {
    if (r < 6) return r - o >= 0 && r - o <= 4 ? r - o : -1;
    static const int column[4][2] = {{5, -1}, {-1, 5}, {6, -1}, {-1, 6}};
    return column[r - 6][o];
}

static inline const uint32_t *conv1_quad_row(const uint32_t *quads, int py, int r) {
    static const int column_row[4] = {0, 1, 4, 5};
    if (r < 6) return quads + (2 * py + r) * LENETQ_PAIR_ROW;
    return quads + LENETQ_COLUMN_QUADS + (2 * py + column_row[r - 6]) * LENETQ_PAIR_ROW + 4;
}

VNNI static void conv1_pool_vnni(const uint32_t *quads, const uint32_t *w, int32_t *out) {
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (int py = 0; py < 14; py++) {
        for (int g = 0; g < 6; g += 3) {
            __m512i acc[3][2][2];
            for (int c = 0; c < 3; c++)
                for (int o = 0; o < 2; o++) acc[c][o][0] = acc[c][o][1] = _mm512_setzero_si512();
            for (int r = 0; r < 10; r++) {
                const uint32_t *row = conv1_quad_row(quads, py, r);
                __m512i x0 = _mm512_loadu_si512(row), x1 = _mm512_loadu_si512(row + 16);
                for (int c = 0; c < 3; c++)
                    for (int o = 0; o < 2; o++) {
                        int k = conv1_quad_weight(r, o);
                        if (k < 0) continue;
                        __m512i wv = _mm512_set1_epi32((int)w[(g + c) * LENETQ_CONV1_QUADS + k]);
                        acc[c][o][0] = _mm512_dpbusd_epi32(acc[c][o][0], x0, wv);
                        acc[c][o][1] = _mm512_dpbusd_epi32(acc[c][o][1], x1, wv);
                    }
            }
            for (int c = 0; c < 3; c++) {
                __m512i m0 = _mm512_max_epi32(acc[c][0][0], acc[c][1][0]), m1 = _mm512_max_epi32(acc[c][0][1], acc[c][1][1]);
                __m512i p = _mm512_max_epi32(_mm512_permutex2var_epi32(m0, even, m1), _mm512_permutex2var_epi32(m0, odd, m1));
                _mm512_storeu_si512(out + ((g + c) * 14 + py) * 16, p);
            }
        }
    }
}

/* ROWS x (16 BLOCKS) columns; ROWS * BLOCKS = 8 independent sums hide vpdpbusd's latency. */
__attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline)) static inline void
tile_vnni(const uint8_t *a, size_t lda, const int8_t *b, size_t bstride, int32_t *c, size_t ldc, size_t kq,
          const int rows, const int blocks) {
    __m512i acc[8][2];
    for (int i = 0; i < rows; i++) acc[i][0] = acc[i][1] = _mm512_setzero_si512();
    for (size_t p = 0; p < kq; p++) {
        __m512i bv[2];
        for (int q = 0; q < blocks; q++) bv[q] = _mm512_loadu_si512(b + q * bstride + p * 64);
        for (int i = 0; i < rows; i++) {
            __m512i av = _mm512_set1_epi32((int)load_quad(a + i * lda + 4 * p));
            for (int q = 0; q < blocks; q++) acc[i][q] = _mm512_dpbusd_epi32(acc[i][q], av, bv[q]);
        }
    }
    for (int i = 0; i < rows; i++)
        for (int q = 0; q < blocks; q++) _mm512_storeu_si512(c + i * ldc + q * 16, acc[i][q]);
}

VNNI static void gemm_vnni(const uint8_t *a, size_t lda, const int8_t *b, int32_t *c, size_t ldc, size_t m, size_t blocks,
                           size_t kq) {
    const size_t bstride = kq * 64;
    size_t q = 0;
    for (; q + 2 <= blocks; q += 2) {
        size_t i = 0;
        for (; i + 4 <= m; i += 4) tile_vnni(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kq, 4, 2);
        for (; i < m; i++) tile_vnni(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kq, 1, 2);
    }
    for (; q < blocks; q++) {
        size_t i = 0;
        for (; i + 8 <= m; i += 8) tile_vnni(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kq, 8, 1);
        for (; i < m; i++) tile_vnni(a + i * lda, lda, b + q * bstride, bstride, c + i * ldc + q * 16, ldc, kq, 1, 1);
    }
}
/* MARK: Quads on ymm: AVX-VNNI's vpdpbusd, or AVX2's vpmaddubsw for 7-bit weights
 *
 * One set of loops, instantiated twice by YMM_QUAD_KERNELS with the instruction that adds
 * four uint8 x int8 products into each int32 lane:
 * - vpdpbusd (AVX-VNNI: Alder Lake and later, Zen 5);
 * - on AVX2 without VNNI, vpmaddubsw (32 products, neighbours added into 16 bits) then
 *   vpmaddwd by ones (into 32 bits). The 16-bit sum saturates unless |a0 w0 + a1 w1| <=
 *   32767: with weights in -63...63 it is at most 2 * 255 * 64 = 32640, so the sums are
 *   exact and equal vpdpbusd's (oneDNN's scheme for int8 on AVX2). Only 7-bit models come
 *   here. */

__attribute__((target("avx2,avxvnni"), always_inline)) static inline __m256i dot_avxvnni(__m256i acc, __m256i a, __m256i w) {
    return _mm256_dpbusd_avx_epi32(acc, a, w);
}

__attribute__((target("avx2"), always_inline)) static inline __m256i dot_bytes(__m256i acc, __m256i a, __m256i w) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w), _mm256_set1_epi16(1)));
}

/* conv1 + pool on quads: columns 0-23 of the two output rows in three ymm each; columns
 * 24-27, all that is left of the 28, of both rows in one (row 0 low, row 1 high: an input
 * row reaches them through different kernel rows, so the halves take different weights,
 * and the column quads of rows y and y + 1 share a load and a weight), 50 products a
 * channel and pooled row instead of 56. Then a ROWS x 16 tile (two ymm a row) and the
 * GEMM over its blocks. */
#define YMM_QUAD_KERNELS(NAME, TARGET, DOT)                                                                                     \
    __attribute__((target(TARGET))) static void conv1_pool_##NAME(const uint32_t *quads, const uint32_t *w, int32_t *out) {    \
        const __m256i deinterleave = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);                                                   \
        for (int py = 0; py < 14; py++) {                                                                                         \
            for (int c = 0; c < 6; c++) {                                                                                         \
                const uint32_t *wc = w + c * LENETQ_CONV1_QUADS;                                                                  \
                __m256i acc[2][3], tail = _mm256_setzero_si256();                                                                 \
                for (int o = 0; o < 2; o++)                                                                                       \
                    for (int v = 0; v < 3; v++) acc[o][v] = _mm256_setzero_si256();                                               \
                for (int r = 0; r < 10; r++) {                                                                                    \
                    const uint32_t *row = conv1_quad_row(quads, py, r);                                                           \
                    __m256i x[3];                                                                                                 \
                    for (int v = 0; v < 3; v++) x[v] = _mm256_loadu_si256((const __m256i *)(row + 8 * v));                      \
                    for (int o = 0; o < 2; o++) {                                                                                 \
                        int k = conv1_quad_weight(r, o);                                                                          \
                        if (k < 0) continue;                                                                                      \
                        __m256i wv = _mm256_set1_epi32((int)wc[k]);                                                               \
                        for (int v = 0; v < 3; v++) acc[o][v] = DOT(acc[o][v], x[v], wv);                                         \
                    }                                                                                                             \
                    if (r < 6) {                                                                                                  \
                        int k0 = conv1_quad_weight(r, 0), k1 = conv1_quad_weight(r, 1);                                           \
                        __m128i w0 = _mm_set1_epi32(k0 < 0 ? 0 : (int)wc[k0]), w1 = _mm_set1_epi32(k1 < 0 ? 0 : (int)wc[k1]);    \
                        __m256i xt = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(row + 24)));                   \
                        tail = DOT(tail, xt, _mm256_set_m128i(w1, w0));                                                           \
                    } else if (r == 6 || r == 8) {                                                                                \
                        /* Column rows y and y + 1 (then y + 4 and y + 5): output row 0, then 1, one weight. */                  \
                        __m256i xt = _mm256_loadu2_m128i((const __m128i *)(conv1_quad_row(quads, py, r + 1) + 24),                \
                                                         (const __m128i *)(row + 24));                                            \
                        tail = DOT(tail, xt, _mm256_set1_epi32((int)wc[r == 6 ? 5 : 6]));                                         \
                    }                                                                                                             \
                }                                                                                                                 \
                /* The 2x2 pool: rows by max, then each column pair (even, odd lanes); lanes 14 */                              \
                /* and 15 repeat 12 and 13. */                                                                                    \
                __m128i t = _mm_max_epi32(_mm256_castsi256_si128(tail), _mm256_extracti128_si256(tail, 1));                       \
                __m256i m[4] = {_mm256_max_epi32(acc[0][0], acc[1][0]), _mm256_max_epi32(acc[0][1], acc[1][1]),                   \
                                _mm256_max_epi32(acc[0][2], acc[1][2]), _mm256_inserti128_si256(_mm256_castsi128_si256(t), t, 1)}; \
                int32_t *dst = out + (c * 14 + py) * 16;                                                                          \
                for (int h = 0; h < 2; h++) {                                                                                     \
                    __m256i a = _mm256_permutevar8x32_epi32(m[2 * h], deinterleave);                                              \
                    __m256i b = _mm256_permutevar8x32_epi32(m[2 * h + 1], deinterleave);                                          \
                    __m256i pooled = _mm256_max_epi32(_mm256_permute2x128_si256(a, b, 0x20), _mm256_permute2x128_si256(a, b, 0x31)); \
                    _mm256_storeu_si256((__m256i *)(dst + 8 * h), pooled);                                                        \
                }                                                                                                                 \
            }                                                                                                                     \
        }                                                                                                                         \
    }                                                                                                                             \
    __attribute__((target(TARGET), always_inline)) static inline void tile_##NAME(const uint8_t *a, size_t lda, const int8_t *b, \
                                                                                  int32_t *c, size_t ldc, size_t kq, const int rows) { \
        __m256i acc[4][2];                                                                                                        \
        for (int i = 0; i < rows; i++) acc[i][0] = acc[i][1] = _mm256_setzero_si256();                                          \
        for (size_t p = 0; p < kq; p++) {                                                                                         \
            __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + p * 64)), b1 = _mm256_loadu_si256((const __m256i *)(b + p * 64 + 32)); \
            for (int i = 0; i < rows; i++) {                                                                                      \
                __m256i av = _mm256_set1_epi32((int)load_quad(a + i * lda + 4 * p));                                             \
                acc[i][0] = DOT(acc[i][0], av, b0);                                                                               \
                acc[i][1] = DOT(acc[i][1], av, b1);                                                                               \
            }                                                                                                                     \
        }                                                                                                                         \
        for (int i = 0; i < rows; i++) {                                                                                          \
            _mm256_storeu_si256((__m256i *)(c + i * ldc), acc[i][0]);                                                             \
            _mm256_storeu_si256((__m256i *)(c + i * ldc + 8), acc[i][1]);                                                         \
        }                                                                                                                         \
    }                                                                                                                             \
    __attribute__((target(TARGET))) static void gemm_##NAME(const uint8_t *a, size_t lda, const int8_t *b, int32_t *c, size_t ldc, \
                                                            size_t m, size_t blocks, size_t kq) {                                \
        for (size_t q = 0; q < blocks; q++) {                                                                                     \
            const int8_t *bq = b + q * kq * 64;                                                                                   \
            size_t i = 0;                                                                                                         \
            for (; i + 4 <= m; i += 4) tile_##NAME(a + i * lda, lda, bq, c + i * ldc + q * 16, ldc, kq, 4);                       \
            for (; i < m; i++) tile_##NAME(a + i * lda, lda, bq, c + i * ldc + q * 16, ldc, kq, 1);                               \
        }                                                                                                                         \
    }

YMM_QUAD_KERNELS(avxvnni, "avx2,avxvnni", dot_avxvnni)
YMM_QUAD_KERNELS(bytes, "avx2", dot_bytes)

#endif

#if defined(__x86_64__)
/* The pair loops of a variant's level: a VNNI variant's CPU has its level's pairs too. */
static int pair_level(int variant) {
    if (variant == LENETQ_AVX512_VNNI) return LENETQ_AVX512_PAIRS;
    if (variant == LENETQ_AVX_VNNI) return LENETQ_AVX2_PAIRS;
    return variant;
}
#endif

void lenetq_conv1_pool(int variant, const uint32_t *pairs, const uint32_t *weights, int32_t *out) {
#if defined(__x86_64__)
    int level = pair_level(variant);
    if (level == LENETQ_AVX512_PAIRS) { conv1_pool_avx512(pairs, weights, out); return; }
    if (level == LENETQ_AVX2_PAIRS) { conv1_pool_avx2(pairs, weights, out); return; }
    if (level == LENETQ_SSE2_PAIRS) { conv1_pool_sse2(pairs, weights, out); return; }
#endif
    (void)variant;
    conv1_pool_portable(pairs, weights, out);
}

/* The SIMD tiles broadcast a pair of int16 activations with one load: the uint8 rows are
 * widened first, a chunk of rows at a time, into a buffer that stays in L1. */
enum { WIDEN_ROWS = 16, WIDEN_MAX_K = 512 };

void lenetq_gemm(int variant, const uint8_t *a, size_t lda, const int16_t *b, int32_t *c, size_t ldc, size_t m,
                 size_t blocks, size_t kpairs) {
#if defined(__x86_64__)
    int level = pair_level(variant);
    if (level != LENETQ_PORTABLE && 2 * kpairs <= WIDEN_MAX_K) {
        uint32_t wide[WIDEN_ROWS * WIDEN_MAX_K / 2];
        for (size_t i0 = 0; i0 < m; i0 += WIDEN_ROWS) {
            size_t rows = m - i0 < WIDEN_ROWS ? m - i0 : WIDEN_ROWS;
            int16_t *w = (int16_t *)(void *)wide;
            for (size_t r = 0; r < rows; r++)
                for (size_t k = 0; k < 2 * kpairs; k++) w[r * 2 * kpairs + k] = a[(i0 + r) * lda + k];
            int32_t *ci = c + i0 * ldc;
            if (level == LENETQ_AVX512_PAIRS) gemm_avx512(wide, kpairs, b, ci, ldc, rows, blocks, kpairs);
            else if (level == LENETQ_AVX2_PAIRS) gemm_avx2(wide, kpairs, b, ci, ldc, rows, blocks, kpairs);
            else gemm_sse2(wide, kpairs, b, ci, ldc, rows, blocks, kpairs);
        }
        return;
    }
#endif
    (void)variant;
    gemm_portable(a, lda, b, c, ldc, m, blocks, kpairs);
}

void lenetq_conv2(int variant, const uint8_t *codes, const int16_t *b, int32_t *c) {
    uint32_t pairs[14 * 14 * 3];
    widen_conv2_codes(codes, pairs);
#if defined(__x86_64__)
    int level = pair_level(variant);
    if (level == LENETQ_AVX512_PAIRS) { conv2_avx512(pairs, b, c); return; }
    if (level == LENETQ_AVX2_PAIRS) { conv2_avx2(pairs, b, c); return; }
    if (level == LENETQ_SSE2_PAIRS) { conv2_sse2(pairs, b, c); return; }
#endif
    (void)variant;
    conv2_portable(pairs, b, c);
}

void lenetq_conv1_pool_quads(int variant, const uint32_t *quads, const uint32_t *weights, int32_t *out) {
#if defined(__x86_64__)
    if (variant == LENETQ_AVX512_VNNI) { conv1_pool_vnni(quads, weights, out); return; }
    if (variant == LENETQ_AVX_VNNI) { conv1_pool_avxvnni(quads, weights, out); return; }
    if (variant == LENETQ_AVX2_BYTES) { conv1_pool_bytes(quads, weights, out); return; }
#endif
    (void)variant;
    const uint32_t *column = quads + LENETQ_COLUMN_QUADS;
    for (int c = 0; c < 6; c++)
        for (int py = 0; py < 14; py++)
            for (int px = 0; px < 16; px++) {
                const uint32_t *w = weights + c * LENETQ_CONV1_QUADS;
                int32_t best = INT32_MIN;
                for (int d = 0; d < 4; d++) {
                    int y = 2 * py + d / 2, x = 2 * px + d % 2;
                    int32_t s = 0;
                    for (int ky = 0; ky < 5; ky++) s += quaddot(quads[(y + ky) * LENETQ_PAIR_ROW + x], w[ky]);
                    s += quaddot(column[y * LENETQ_PAIR_ROW + x + 4], w[5]) + quaddot(column[(y + 4) * LENETQ_PAIR_ROW + x + 4], w[6]);
                    if (s > best) best = s;
                }
                out[(c * 14 + py) * 16 + px] = best;
            }
}

void lenetq_gemm_quads(int variant, const uint8_t *a, size_t lda, const int8_t *b, int32_t *c, size_t ldc, size_t m,
                       size_t blocks, size_t kquads) {
#if defined(__x86_64__)
    if (variant == LENETQ_AVX512_VNNI) { gemm_vnni(a, lda, b, c, ldc, m, blocks, kquads); return; }
    if (variant == LENETQ_AVX_VNNI) { gemm_avxvnni(a, lda, b, c, ldc, m, blocks, kquads); return; }
    if (variant == LENETQ_AVX2_BYTES) { gemm_bytes(a, lda, b, c, ldc, m, blocks, kquads); return; }
#endif
    (void)variant;
    for (size_t i = 0; i < m; i++)
        for (size_t q = 0; q < blocks; q++)
            for (int j = 0; j < 16; j++) {
                int32_t s = 0;
                for (size_t p = 0; p < kquads; p++) {
                    uint32_t bq;
                    __builtin_memcpy(&bq, b + ((q * kquads + p) * 16 + (size_t)j) * 4, 4);
                    s += quaddot(load_quad(a + i * lda + 4 * p), bq);
                }
                c[i * ldc + q * 16 + j] = s;
            }
}
