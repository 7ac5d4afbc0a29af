/* Test support: writes PNGs with libpng's full writer, in every colour type, bit depth and
 * interlace method, so the tests can feed the decoder what the simplified writer cannot
 * produce (1/2/4-bit, palettes, Adam7). Not part of the library. */
#ifndef PNG_TEST_WRITER_H
#define PNG_TEST_WRITER_H
#include <stddef.h>
#include <stdint.h>

/* `gray` is w x h 8-bit grey (0 = black). `alpha`, when not NULL, is w x h 8-bit alpha for
 * colour types 4 and 6. Returns 0 and a malloc'ed PNG in *out / *out_size, or -1. */
int png_test_write(const uint8_t *gray, const uint8_t *alpha, int width, int height, int color_type, int bit_depth,
                   int interlace, unsigned char **out, size_t *out_size);

#endif
