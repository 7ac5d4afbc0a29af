#include "png_test_writer.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct sink { unsigned char *data; size_t size, capacity; int failed; };

static void sink_write(png_structp png, png_bytep bytes, png_size_t n) {
    struct sink *s = png_get_io_ptr(png);
    if (s->size + n > s->capacity) {
        size_t cap = (s->size + n) * 2;
        unsigned char *d = realloc(s->data, cap);
        if (!d) { s->failed = 1; png_error(png, "out of memory"); }
        s->data = d;
        s->capacity = cap;
    }
    memcpy(s->data + s->size, bytes, n);
    s->size += n;
}

static void sink_flush(png_structp png) { (void)png; }

/* Packs `values` (one per pixel, already scaled to the bit depth) into a PNG row. */
static void pack(png_bytep row, const unsigned *values, int count, int bit_depth) {
    if (bit_depth == 16) {
        for (int i = 0; i < count; i++) { row[2 * i] = (png_byte)(values[i] >> 8); row[2 * i + 1] = (png_byte)values[i]; }
    } else if (bit_depth == 8) {
        for (int i = 0; i < count; i++) row[i] = (png_byte)values[i];
    } else {
        int per_byte = 8 / bit_depth;
        memset(row, 0, (size_t)(count + per_byte - 1) / (size_t)per_byte);
        for (int i = 0; i < count; i++)
            row[i / per_byte] |= (png_byte)(values[i] << (8 - bit_depth * (i % per_byte + 1)));
    }
}

int png_test_write(const uint8_t *gray, const uint8_t *alpha, int width, int height, int color_type, int bit_depth,
                   int interlace, unsigned char **out, size_t *out_size) {
    struct sink s = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    int channels = color_type == 0 || color_type == 3 ? 1 : color_type == 4 ? 2 : color_type == 2 ? 3 : 4;
    unsigned max = (1u << bit_depth) - 1;
    unsigned *values = malloc(sizeof(unsigned) * (size_t)width * (size_t)channels);
    png_bytep *rows = calloc((size_t)height, sizeof(png_bytep));
    if (!png || !info || !values || !rows) goto fail;
    if (setjmp(png_jmpbuf(png))) goto fail;
    png_set_write_fn(png, &s, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, bit_depth, color_type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == 3) {
        png_color palette[256];
        int entries = 1 << bit_depth;
        for (int i = 0; i < entries; i++) {
            png_byte v = (png_byte)(i * 255 / (entries - 1));
            palette[i].red = palette[i].green = palette[i].blue = v;
        }
        png_set_PLTE(png, info, palette, entries);
    }
    png_write_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    for (int y = 0; y < height; y++) {
        rows[y] = malloc(row_bytes);
        if (!rows[y]) png_error(png, "out of memory");
        for (int x = 0; x < width; x++) {
            unsigned g = gray[y * width + x], a = alpha ? alpha[y * width + x] : 255;
            unsigned v = bit_depth == 16 ? g * 257 : (g * max + 127) / 255, av = bit_depth == 16 ? a * 257 : a;
            unsigned *p = values + x * channels;
            switch (color_type) {
            case 0: case 3: p[0] = v; break;
            case 4: p[0] = v; p[1] = av; break;
            case 2: p[0] = p[1] = p[2] = v; break;
            default: p[0] = p[1] = p[2] = v; p[3] = av; break;
            }
        }
        pack(rows[y], values, width * channels, bit_depth);
    }
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    for (int y = 0; y < height; y++) free(rows[y]);
    free(rows);
    free(values);
    *out = s.data;
    *out_size = s.size;
    return 0;
fail:
    png_destroy_write_struct(&png, &info);
    if (rows) for (int y = 0; y < height; y++) free(rows[y]);
    free(rows);
    free(values);
    free(s.data);
    return -1;
}
