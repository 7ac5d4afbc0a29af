/* Tests of the raw-pixel and in-memory model functions, run by `make test`:
 *
 *     test_pixels MODEL.lenet DIGITS.u8
 *
 * DIGITS holds the first 1,000 MNIST test digits as raw bytes. Each digit is drawn as a
 * dark-on-white picture at an odd size, then handed over in every pixel format, packed and
 * with padded rows: every form must give the same 784 bytes. Ends with "N passed, N failed". */
#include "check.h"
#include "file_io.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define W 53 /* odd sizes: no format lines up with a power of two */
#define H 61
#define N_TESTED 40

static unsigned char digits[1000 * 784];
static lenet_model *model;

/* Digit `d` as grey paper (255) with dark ink, scaled to W x H by nearest neighbour. */
static void picture(int d, unsigned char *gray) {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) gray[y * W + x] = (unsigned char)(255 - digits[d * 784 + (y * 28 / H) * 28 + x * 28 / W]);
}

/* `gray` in `format`, rows `stride` bytes apart; padding bytes are noise the library must skip. */
static unsigned char *encode(const unsigned char *gray, lenet_pixel_format format, size_t bpp, size_t stride) {
    unsigned char *buf = malloc(stride * H);
    for (size_t i = 0; i < stride * H; i++) buf[i] = (unsigned char)(rand() & 0xff);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            unsigned char v = gray[y * W + x], *p = buf + y * stride + x * bpp;
            uint16_t wide = (uint16_t)(v * 257), opaque = 0xffff;
            switch (format) {
            case LENET_PIXEL_GRAY8: p[0] = v; break;
            case LENET_PIXEL_GRAY16: memcpy(p, &wide, 2); break;
            case LENET_PIXEL_RGB8: case LENET_PIXEL_BGR8: p[0] = p[1] = p[2] = v; break;
            /* Black ink whose opacity is the darkness, on a transparent canvas: over white,
             * 255 - alpha is exactly v. */
            case LENET_PIXEL_RGBA8: case LENET_PIXEL_BGRA8: p[0] = p[1] = p[2] = 0; p[3] = (unsigned char)(255 - v); break;
            case LENET_PIXEL_GRAYA8: p[0] = v; p[1] = 255; break;
            case LENET_PIXEL_GRAYA16: memcpy(p, &wide, 2); memcpy(p + 2, &opaque, 2); break;
            }
        }
    }
    return buf;
}

static void test_every_format_gives_the_same_digit(void) {
    static const struct { lenet_pixel_format format; size_t bpp; } formats[] = {
        {LENET_PIXEL_GRAY8, 1}, {LENET_PIXEL_GRAY16, 2}, {LENET_PIXEL_RGB8, 3}, {LENET_PIXEL_RGBA8, 4},
        {LENET_PIXEL_BGRA8, 4}, {LENET_PIXEL_BGR8, 3}, {LENET_PIXEL_GRAYA8, 2}, {LENET_PIXEL_GRAYA16, 4},
    };
    unsigned char gray[W * H], expected[784], got[784];
    int mismatches = 0, label_mismatches = 0, correct = 0, calls = 0;
    for (int d = 0; d < N_TESTED; d++) {
        picture(d, gray);
        CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, expected, 784), LENET_OK);
        int32_t expected_label = -1;
        float expected_p[10];
        CHECK_STATUS(lenet_model_predict(model, expected, 1, &expected_label, 1, expected_p, 10, LENET_OUTPUT_PROBABILITIES),
                     LENET_OK);
        for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
            size_t row = W * formats[f].bpp;
            for (size_t pad = 0; pad <= 13; pad += 13) {
                unsigned char *buf = encode(gray, formats[f].format, formats[f].bpp, row + pad);
                size_t size = (row + pad) * (H - 1) + row; /* the last row's padding is not needed */
                memset(got, 0xee, sizeof got);
                lenet_status s = lenet_image_to_digit(buf, size, W, H, pad ? row + pad : 0, formats[f].format, got, 784);
                mismatches += s != LENET_OK || memcmp(got, expected, 784) != 0;
                int32_t label = -1;
                float p[10];
                s = lenet_model_predict_image(model, buf, size, W, H, pad ? row + pad : 0, formats[f].format, &label, p, 10);
                label_mismatches += s != LENET_OK || label != expected_label || memcmp(p, expected_p, sizeof p) != 0;
                calls++;
                free(buf);
            }
        }
        int32_t truth_label = -1;
        CHECK_STATUS(lenet_model_predict(model, digits + d * 784, 1, &truth_label, 1, NULL, 0, LENET_OUTPUT_PROBABILITIES),
                     LENET_OK);
        correct += expected_label == truth_label;
    }
    CHECK(calls == N_TESTED * 16, "%d calls", calls);
    CHECK(mismatches == 0, "%d of %d format/stride buffers gave a different digit", mismatches, calls);
    CHECK(label_mismatches == 0, "%d of %d predict_image calls differ from predict on the digit", label_mismatches, calls);
    /* The upscaled picture reads as the original digit reads. */
    CHECK(correct >= N_TESTED - 2, "only %d of %d pictures read as their MNIST digit", correct, N_TESTED);
}

/* Coloured ink: each channel has its own weight (BT.601 luma), so RGB, BGR, RGBA and BGRA
 * must each be read in their own order to match the grey the header documents. */
static void test_colour_channel_order(void) {
    unsigned char gray[W * H], luma[W * H], rgb[W * H * 3], bgr[W * H * 3], rgba[W * H * 4], bgra[W * H * 4];
    unsigned char expected[784], got[784];
    int mismatches = 0;
    for (int d = 0; d < 10; d++) {
        picture(d, gray);
        for (int i = 0; i < W * H; i++) {
            /* Blue-ish ink on yellow-ish paper: red and green carry the digit, blue runs the other way. */
            unsigned r = gray[i], g = (gray[i] + 255u) / 2, b = 255u - gray[i] / 2;
            luma[i] = (unsigned char)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            rgb[3 * i] = bgr[3 * i + 2] = rgba[4 * i] = bgra[4 * i + 2] = (unsigned char)r;
            rgb[3 * i + 1] = bgr[3 * i + 1] = rgba[4 * i + 1] = bgra[4 * i + 1] = (unsigned char)g;
            rgb[3 * i + 2] = bgr[3 * i] = rgba[4 * i + 2] = bgra[4 * i] = (unsigned char)b;
            rgba[4 * i + 3] = bgra[4 * i + 3] = 255;
        }
        CHECK_STATUS(lenet_image_to_digit(luma, sizeof luma, W, H, 0, LENET_PIXEL_GRAY8, expected, 784), LENET_OK);
        const struct { const unsigned char *pixels; size_t size; lenet_pixel_format format; } forms[] = {
            {rgb, sizeof rgb, LENET_PIXEL_RGB8}, {bgr, sizeof bgr, LENET_PIXEL_BGR8},
            {rgba, sizeof rgba, LENET_PIXEL_RGBA8}, {bgra, sizeof bgra, LENET_PIXEL_BGRA8},
        };
        for (int f = 0; f < 4; f++) {
            lenet_status s = lenet_image_to_digit(forms[f].pixels, forms[f].size, W, H, 0, forms[f].format, got, 784);
            mismatches += s != LENET_OK || memcmp(got, expected, 784) != 0;
        }
        /* Read in the wrong order, the same bytes are another picture. */
        CHECK_STATUS(lenet_image_to_digit(rgb, sizeof rgb, W, H, 0, LENET_PIXEL_BGR8, got, 784), LENET_OK);
        CHECK(memcmp(got, expected, 784) != 0, "digit %d: RGB read as BGR gave the RGB digit", d);
    }
    CHECK(mismatches == 0, "%d of 40 colour buffers differ from their BT.601 grey", mismatches);
}

/* The library reads exactly `size` bytes: a buffer that ends at an unmapped page is safe,
 * and one byte too few is refused, not over-read. */
static void test_bounds_and_statuses(void) {
    unsigned char gray[W * H], digit[784];
    picture(0, gray);
    long page = sysconf(_SC_PAGESIZE);
    size_t span = ((sizeof gray + (size_t)page - 1) / (size_t)page) * (size_t)page;
    unsigned char *map = mmap(NULL, span + (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(map != MAP_FAILED, "mmap");
    if (map == MAP_FAILED) return;
    CHECK(mprotect(map + span, (size_t)page, PROT_NONE) == 0, "mprotect");
    unsigned char *end = map + span - sizeof gray; /* the image's last byte is the page's last */
    memcpy(end, gray, sizeof gray);
    CHECK_STATUS(lenet_image_to_digit(end, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, digit, 784), LENET_OK);
    CHECK_STATUS(lenet_image_to_digit(end + 1, sizeof gray - 1, W, H, 0, LENET_PIXEL_GRAY8, digit, 784),
                 LENET_ERR_INVALID_ARGUMENT);
    CHECK(strstr(lenet_last_error(), "holds 3232 bytes") != NULL, "message: %s", lenet_last_error());
    /* A claimed stride that would run past the buffer. */
    CHECK_STATUS(lenet_image_to_digit(end, sizeof gray, W, H, W + 1, LENET_PIXEL_GRAY8, digit, 784), LENET_ERR_INVALID_ARGUMENT);
    /* RGB claimed over a grey buffer: three times the bytes. */
    CHECK_STATUS(lenet_image_to_digit(end, sizeof gray, W, H, 0, LENET_PIXEL_RGB8, digit, 784), LENET_ERR_INVALID_ARGUMENT);
    munmap(map, span + (size_t)page);

    CHECK_STATUS(lenet_image_to_digit(NULL, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, digit, 784), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, 0, H, 0, LENET_PIXEL_GRAY8, digit, 784), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, W, 0, 0, LENET_PIXEL_GRAY8, digit, 784), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, W, H, W - 1, LENET_PIXEL_GRAY8, digit, 784), LENET_ERR_INVALID_ARGUMENT);
    CHECK(strstr(lenet_last_error(), "stride") != NULL, "message: %s", lenet_last_error());
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, W, H, 0, (lenet_pixel_format)99, digit, 784), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, digit, 783), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, NULL, 784), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, SIZE_MAX, H, 0, LENET_PIXEL_GRAY8, digit, 784),
                 LENET_ERR_INVALID_ARGUMENT);
    CHECK(strstr(lenet_last_error(), "18446744073709551615") != NULL, "size_t reported as: %s", lenet_last_error());
    /* Geometry whose byte count overflows: refused by the limits, before any arithmetic. */
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, (size_t)1 << 40, (size_t)1 << 40, 0, LENET_PIXEL_RGBA8, digit, 784),
                 LENET_ERR_IMAGE_TOO_LARGE);
    CHECK_STATUS(lenet_set_image_limits(W - 1, 0, 0), LENET_OK);
    CHECK_STATUS(lenet_image_to_digit(gray, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, digit, 784), LENET_ERR_IMAGE_TOO_LARGE);
    CHECK_STATUS(lenet_set_image_limits(0, 0, 0), LENET_OK);
    unsigned char blank[W * H];
    memset(blank, 250, sizeof blank);
    CHECK_STATUS(lenet_image_to_digit(blank, sizeof blank, W, H, 0, LENET_PIXEL_GRAY8, digit, 784), LENET_ERR_NO_INK);
    int32_t label = 42;
    float p[10];
    CHECK_STATUS(lenet_model_predict_image(model, gray, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, &label, p, 9),
                 LENET_ERR_BUFFER_TOO_SMALL);
    CHECK(label == 42, "a failed call wrote the label");
    CHECK_STATUS(lenet_model_predict_image(NULL, gray, sizeof gray, W, H, 0, LENET_PIXEL_GRAY8, &label, p, 10),
                 LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_predict_image(model, blank, sizeof blank, W, H, 0, LENET_PIXEL_GRAY8, &label, NULL, 0),
                 LENET_ERR_NO_INK);
}

/* Every format round-trips through memory to the same logits; sizes are asked, then filled. */
static void test_save_to_memory(void) {
    float expected[100 * 10], got[100 * 10];
    CHECK_STATUS(lenet_model_predict(model, digits, 100, NULL, 0, expected, 1000, LENET_OUTPUT_LOGITS), LENET_OK);
    const lenet_model_format formats[] = {LENET_FORMAT_LENET, LENET_FORMAT_PYTORCH, LENET_FORMAT_SAFETENSORS};
    for (int f = 0; f < 3; f++) {
        size_t size = 0, again = 0;
        CHECK_STATUS(lenet_model_save_to_memory(model, formats[f], NULL, 0, &size), LENET_OK);
        CHECK(size > 200000, "format %d: %zu bytes", f, size);
        unsigned char *buf = malloc(size);
        memset(buf, 0x5a, size);
        CHECK_STATUS(lenet_model_save_to_memory(model, formats[f], buf, size - 1, &again), LENET_ERR_BUFFER_TOO_SMALL);
        CHECK(again == size && buf[0] == 0x5a, "format %d: a too-small buffer was written or misreported (%zu)", f, again);
        CHECK_STATUS(lenet_model_save_to_memory(model, formats[f], buf, size, &again), LENET_OK);
        lenet_model *copy = NULL;
        CHECK_STATUS(lenet_model_load_from_memory(buf, size, &copy), LENET_OK);
        if (copy) {
            CHECK_STATUS(lenet_model_predict(copy, digits, 100, NULL, 0, got, 1000, LENET_OUTPUT_LOGITS), LENET_OK);
            CHECK(memcmp(got, expected, sizeof got) == 0, "format %d: logits differ after the round trip", f);
        }
        lenet_model_free(copy);
        free(buf);
    }
    size_t size = 0;
    CHECK_STATUS(lenet_model_save_to_memory(model, (lenet_model_format)7, NULL, 0, &size), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_save_to_memory(model, LENET_FORMAT_LENET, NULL, 0, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_save_to_memory(model, LENET_FORMAT_LENET, NULL, 10, &size), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_save_to_memory(NULL, LENET_FORMAT_LENET, NULL, 0, &size), LENET_ERR_INVALID_ARGUMENT);

    lenet_model *int8 = NULL;
    CHECK_STATUS(lenet_quantize(model, digits, 200, &int8), LENET_OK);
    if (int8) {
        CHECK_STATUS(lenet_model_save_to_memory(int8, LENET_FORMAT_PYTORCH, NULL, 0, &size), LENET_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(lenet_model_save_to_memory(int8, LENET_FORMAT_LENET, NULL, 0, &size), LENET_OK);
        unsigned char *buf = malloc(size);
        lenet_model *copy = NULL;
        CHECK_STATUS(lenet_model_save_to_memory(int8, LENET_FORMAT_LENET, buf, size, &size), LENET_OK);
        CHECK_STATUS(lenet_model_load_from_memory(buf, size, &copy), LENET_OK);
        CHECK_STATUS(lenet_model_predict(int8, digits, 100, NULL, 0, expected, 1000, LENET_OUTPUT_LOGITS), LENET_OK);
        if (copy) CHECK_STATUS(lenet_model_predict(copy, digits, 100, NULL, 0, got, 1000, LENET_OUTPUT_LOGITS), LENET_OK);
        CHECK(copy && memcmp(got, expected, sizeof got) == 0, "int8 logits differ after the round trip");
        lenet_model_free(copy);
        free(buf);
    }
    lenet_model_free(int8);
}

/* A grey PNG of `gray` (w x h) with its image data in stored deflate blocks: the test needs
 * a PNG file of a number, and the C API has no encoder. */
static uint32_t crc32_of(const unsigned char *p, size_t n, uint32_t crc) {
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16); p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

static size_t put_chunk(unsigned char *out, const char *kind, const unsigned char *data, size_t n) {
    put32(out, (uint32_t)n);
    memcpy(out + 4, kind, 4);
    if (n) memcpy(out + 8, data, n);
    put32(out + 8 + n, crc32_of(out + 4, n + 4, 0));
    return n + 12;
}

static unsigned char *gray_png(const unsigned char *gray, int w, int h, size_t *size) {
    size_t raw = (size_t)(w + 1) * h, blocks = raw / 65535 + 1, idat = 2 + raw + 5 * blocks + 4;
    unsigned char *z = malloc(idat), *out = malloc(idat + 128), *zp = z;
    *zp++ = 0x78; *zp++ = 0x01;
    uint32_t a = 1, b = 0;
    size_t left = raw, row = 0, col = 0;
    do {
        size_t n = left < 65535 ? left : 65535;
        *zp++ = left == n; *zp++ = (unsigned char)n; *zp++ = (unsigned char)(n >> 8);
        *zp++ = (unsigned char)~n; *zp++ = (unsigned char)(~n >> 8);
        for (size_t i = 0; i < n; i++) {
            unsigned char v = col == 0 ? 0 : gray[row * w + col - 1]; /* each row: filter 0, then its pixels */
            if (++col == (size_t)w + 1) { col = 0; row++; }
            *zp++ = v;
            a = (a + v) % 65521; b = (b + a) % 65521;
        }
        left -= n;
    } while (left > 0);
    put32(zp, (b << 16) | a); zp += 4;
    unsigned char ihdr[13] = {0}, *o = out;
    put32(ihdr, (uint32_t)w); put32(ihdr + 4, (uint32_t)h); ihdr[8] = 8; /* 8-bit grey */
    memcpy(o, "\x89PNG\r\n\x1a\n", 8); o += 8;
    o += put_chunk(o, "IHDR", ihdr, 13);
    o += put_chunk(o, "IDAT", z, (size_t)(zp - z));
    o += put_chunk(o, "IEND", NULL, 0);
    free(z);
    *size = (size_t)(o - out);
    return out;
}

/* A number: three test digits side by side on white paper, read left to right. */
enum { NW = 3 * 56 + 2 * 16 + 40, NH = 96 };

/* Test digits `first`, `first + 1`, `first + 2`, 2x, dark on white, 72 pixels apart. */
static void number_page(unsigned char *page, int first) {
    memset(page, 255, NW * NH);
    for (int k = 0; k < 3; k++)
        for (int y = 0; y < 56; y++)
            for (int x = 0; x < 56; x++)
                page[(y + 20) * NW + 20 + k * 72 + x] = (unsigned char)(255 - digits[(first + k) * 784 + (y / 2) * 28 + x / 2]);
}

static void test_read_number(void) {
    static unsigned char page[NW * NH];
    number_page(page, 0); /* 7, 2, 1 in MNIST's test set */
    int32_t expected[3];
    for (int k = 0; k < 3; k++)
        CHECK_STATUS(lenet_model_predict(model, digits + k * 784, 1, &expected[k], 1, NULL, 0, LENET_OUTPUT_PROBABILITIES), LENET_OK);
    size_t count = 99;
    CHECK_STATUS(lenet_model_read_image(model, page, sizeof page, NW, NH, 0, LENET_PIXEL_GRAY8, NULL, 0, &count), LENET_OK);
    CHECK(count == 3, "%zu digits counted", count);
    lenet_read_digit found[4];
    memset(found, 0x7f, sizeof found);
    CHECK_STATUS(lenet_model_read_image(model, page, sizeof page, NW, NH, 0, LENET_PIXEL_GRAY8, found, 2, &count),
                 LENET_ERR_BUFFER_TOO_SMALL);
    CHECK(count == 3 && found[0].label == 0x7f7f7f7f, "a too-small array was written or miscounted (%zu)", count);
    CHECK_STATUS(lenet_model_read_image(model, page, sizeof page, NW, NH, 0, LENET_PIXEL_GRAY8, found, 4, &count), LENET_OK);
    CHECK(count == 3, "%zu digits read", count);
    for (size_t k = 0; k < 3 && k < count; k++) {
        CHECK(found[k].label == expected[k], "digit %zu read as %d, alone as %d", k, found[k].label, expected[k]);
        float sum = 0;
        for (int c = 0; c < 10; c++) sum += found[k].probabilities[c];
        CHECK(fabsf(sum - 1) < 1e-4f, "digit %zu: probabilities sum to %g", k, sum);
        /* Each box lies on its digit: within the 56-pixel square drawn for it. */
        size_t left = 20 + k * 72;
        CHECK(found[k].x >= left && found[k].x + found[k].width <= left + 56 && found[k].y >= 20 && found[k].y + found[k].height <= 76,
              "digit %zu: box %zu,%zu %zux%zu", k, found[k].x, found[k].y, found[k].width, found[k].height);
    }
    CHECK_STATUS(lenet_model_read_image(model, page, sizeof page, NW, NH, 0, LENET_PIXEL_GRAY8, found, 4, NULL),
                 LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_image(model, page, sizeof page - 1, NW, NH, 0, LENET_PIXEL_GRAY8, found, 4, &count),
                 LENET_ERR_INVALID_ARGUMENT);
    memset(page, 250, sizeof page);
    CHECK_STATUS(lenet_model_read_image(model, page, sizeof page, NW, NH, 0, LENET_PIXEL_GRAY8, found, 4, &count), LENET_ERR_NO_INK);

    size_t size = 0;
    unsigned char *png = read_file("samples/digit-7-mnist-gray8.png", &size);
    CHECK(png != NULL, "cannot read the sample");
    if (png) {
        CHECK_STATUS(lenet_model_read_png(model, png, size, found, 4, &count), LENET_OK);
        CHECK(count == 1 && found[0].label == 7, "the sample 7 read as %zu digits, first %d", count, found[0].label);
        CHECK_STATUS(lenet_model_read_png(model, png, size / 2, found, 4, &count), LENET_ERR_PNG_TRUNCATED);
        free(png);
    }
}

/* Many files in one call, on 1 and 2 threads: each file's digits, count and status as
 * lenet_model_read_png gives them for its bytes alone, in input order; a file with more
 * digits than per_file refused alone; the first failure returned, naming its file. */
static void test_read_batch(void) {
    static unsigned char page[NW * NH];
    char number[] = "/tmp/lenet-number-XXXXXX", other[] = "/tmp/lenet-number-XXXXXX";
    const char *made[2] = {number, other};
    for (int f = 0; f < 2; f++) {
        number_page(page, 3 + 3 * f);
        size_t size = 0;
        unsigned char *png = gray_png(page, NW, NH, &size);
        int fd = mkstemp((char *)made[f]);
        CHECK(fd >= 0 && write(fd, png, size) == (ssize_t)size && close(fd) == 0, "cannot write %s", made[f]);
        free(png);
    }
    const char *files[] = {number, "samples/digit-7-mnist-gray8.png", "README.md", other, "/nonexistent.png",
                           "Tests/Fixtures/blank-white.png", "samples/digit-2-paper-rgb8.png"};
    enum { N = sizeof files / sizeof files[0], PER = 4 };
    lenet_read_digit alone[N][PER], batch[N * PER];
    size_t alone_count[N], found[N];
    lenet_status alone_status[N], statuses[N];
    memset(alone, 0, sizeof alone);
    for (int i = 0; i < N; i++) {
        size_t size = 0;
        unsigned char *png = read_file(files[i], &size);
        alone_count[i] = 0;
        alone_status[i] = png ? lenet_model_read_png(model, png, size, alone[i], PER, &alone_count[i]) : LENET_ERR_IO;
        if (alone_status[i] != LENET_OK) alone_count[i] = 0;
        free(png);
    }
    CHECK(alone_status[0] == LENET_OK && alone_count[0] == 3, "the number file: status %d, %zu digits", alone_status[0], alone_count[0]);
    for (int threads = 1; threads <= 2; threads++) {
        CHECK_STATUS(lenet_set_num_threads(threads), LENET_OK);
        memset(batch, 0, sizeof batch);
        CHECK_STATUS(lenet_model_read_png_files(model, files, N, batch, N * PER, PER, found, statuses), LENET_ERR_NOT_PNG);
        CHECK(strstr(lenet_last_error(), "README.md") != NULL, "the first failure's message names its file: %s", lenet_last_error());
        for (int i = 0; i < N; i++) {
            CHECK(statuses[i] == alone_status[i] && found[i] == alone_count[i], "%d thread(s), %s: status %d, %zu digits; alone %d, %zu",
                  threads, files[i], statuses[i], found[i], alone_status[i], alone_count[i]);
            CHECK(memcmp(batch + PER * i, alone[i], sizeof alone[i]) == 0, "%d thread(s), %s: the digits differ from one file alone",
                  threads, files[i]);
        }
    }
    CHECK_STATUS(lenet_set_num_threads(0), LENET_OK);
    /* Room for two digits a file: the numbers are refused alone, the single digits read. */
    const char *mixed[] = {files[1], number, files[6]};
    CHECK_STATUS(lenet_model_read_png_files(model, mixed, 3, batch, 3 * 2, 2, found, statuses), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK(statuses[0] == LENET_OK && found[0] == 1 && statuses[1] == LENET_ERR_BUFFER_TOO_SMALL && found[1] == 3 &&
              statuses[2] == LENET_OK && found[2] == 1 && batch[4].label == alone[6][0].label,
          "per_file 2: statuses %d %d %d, found %zu %zu %zu", statuses[0], statuses[1], statuses[2], found[0], found[1], found[2]);
    CHECK(strstr(lenet_last_error(), "3 digits") != NULL, "the refusal says how many: %s", lenet_last_error());
    CHECK_STATUS(lenet_model_read_png_files(model, mixed, 3, batch, 3 * 2 - 1, 2, found, NULL), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(lenet_model_read_png_files(model, mixed, 3, batch, 3 * 2, 0, found, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_png_files(model, mixed, 3, NULL, 3 * 2, 2, found, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_png_files(model, mixed, 3, batch, 3 * 2, 2, NULL, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_png_files(NULL, mixed, 3, batch, 3 * 2, 2, found, NULL), LENET_ERR_INVALID_ARGUMENT);
    const char *with_null[] = {files[1], NULL};
    CHECK_STATUS(lenet_model_read_png_files(model, with_null, 2, batch, 8, 4, found, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_png_files(model, mixed, (size_t)-1 / 2 + 1, batch, 8, 4, found, NULL), LENET_ERR_BUFFER_TOO_SMALL);
    unlink(number);
    unlink(other);
}

enum { FW = 20 + 3 * 60 + 150 + 2 * 60 + 20, FH = 20 + 56 + 40 + 56 + 20 };

/* Test digit `d` at 2x, dark on white, its top left corner at (x, y) of a form FW wide. */
static void put_digit(unsigned char *form, int d, int x, int y) {
    for (int yy = 0; yy < 56; yy++)
        for (int xx = 0; xx < 56; xx++)
            form[(y + yy) * FW + x + xx] = (unsigned char)(255 - digits[d * 784 + (yy / 2) * 28 + xx / 2]);
}

/* A form of three numbers, digits 60 pixels apart: digits 0-2 top left, 3-5 below them
 * (their columns half a digit to the right, so that read as one row the two interleave),
 * 6-7 top right. Read in
 * reading order: the top row left to right (0-2, then 6-7), then the row below (3-5). */
static void test_read_numbers(void) {
    static unsigned char form[FW * FH];
    memset(form, 255, sizeof form);
    for (int k = 0; k < 3; k++) put_digit(form, k, 20 + 60 * k, 20);
    for (int k = 0; k < 3; k++) put_digit(form, 3 + k, 50 + 60 * k, 20 + 56 + 40);
    for (int k = 0; k < 2; k++) put_digit(form, 6 + k, 20 + 3 * 60 + 150 + 60 * k, 20);
    static const int order[8] = {0, 1, 2, 6, 7, 3, 4, 5}, sizes[3] = {3, 2, 3};
    int32_t expected[8];
    for (int k = 0; k < 8; k++)
        CHECK_STATUS(lenet_model_predict(model, digits + order[k] * 784, 1, &expected[k], 1, NULL, 0, LENET_OUTPUT_PROBABILITIES), LENET_OK);
    size_t numbers_count = 99, digits_count = 99;
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, NULL, 0, &numbers_count, NULL,
                                                0, &digits_count, NULL, 0), LENET_OK);
    CHECK(numbers_count == 3 && digits_count == 8, "counted %zu numbers, %zu digits", numbers_count, digits_count);
    lenet_read_number numbers[4];
    lenet_read_digit found[9];
    memset(numbers, 0x7f, sizeof numbers);
    memset(found, 0x7f, sizeof found);
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 2, &numbers_count,
                                                found, 9, &digits_count, NULL, 0), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 4, &numbers_count,
                                                found, 7, &digits_count, NULL, 0), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK(numbers[0].digit_count == 0x7f7f7f7f7f7f7f7f && found[0].label == 0x7f7f7f7f, "a too-small array was written");
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 4, &numbers_count,
                                                NULL, 9, &digits_count, NULL, 0), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 4, NULL, found, 9,
                                                &digits_count, NULL, 0), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 4, &numbers_count,
                                                found, 9, &digits_count, NULL, 0), LENET_OK);
    CHECK(numbers_count == 3 && digits_count == 8, "read %zu numbers, %zu digits", numbers_count, digits_count);
    /* What the model saw of each digit: the 28x28 of the digit alone, as it was drawn. */
    static uint8_t seen[8 * 784];
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 4, &numbers_count,
                                                found, 9, &digits_count, seen, 8 * 784 - 1), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 4, &numbers_count,
                                                found, 9, &digits_count, NULL, 784), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_read_numbers_image(model, form, sizeof form, FW, FH, 0, LENET_PIXEL_GRAY8, numbers, 4, &numbers_count,
                                                found, 9, &digits_count, seen, sizeof seen), LENET_OK);
    for (int k = 0; k < 8; k++) {
        int32_t label = -1;
        CHECK_STATUS(lenet_model_predict(model, seen + 784 * k, 1, &label, 1, NULL, 0, LENET_OUTPUT_PROBABILITIES), LENET_OK);
        CHECK(label == found[k].label, "digit %d: what the model saw reads %d, the reading says %d", k, label, found[k].label);
    }
    size_t first = 0;
    for (size_t n = 0; n < 3 && n < numbers_count; n++) {
        const lenet_read_number *r = &numbers[n];
        CHECK(r->first_digit == first && r->digit_count == (size_t)sizes[n], "number %zu: digits %zu..+%zu", n, r->first_digit, r->digit_count);
        for (size_t k = r->first_digit; k < r->first_digit + r->digit_count && k < 8; k++) {
            CHECK(found[k].label == expected[k], "digit %zu of the form read as %d, alone as %d", k, found[k].label, expected[k]);
            CHECK(found[k].x >= r->x && found[k].y >= r->y && found[k].x + found[k].width <= r->x + r->width &&
                      found[k].y + found[k].height <= r->y + r->height, "digit %zu lies outside its number's box", k);
        }
        first += (size_t)sizes[n];
    }
    /* A picture of one number: one number, its digits those lenet_model_read_image reads. */
    static unsigned char page[NW * NH];
    number_page(page, 0);
    lenet_read_digit alone[4], one_digits[4];
    lenet_read_number one[2];
    size_t count = 0;
    CHECK_STATUS(lenet_model_read_image(model, page, sizeof page, NW, NH, 0, LENET_PIXEL_GRAY8, alone, 4, &count), LENET_OK);
    CHECK_STATUS(lenet_model_read_numbers_image(model, page, sizeof page, NW, NH, 0, LENET_PIXEL_GRAY8, one, 2, &numbers_count,
                                                one_digits, 4, &digits_count, NULL, 0), LENET_OK);
    CHECK(numbers_count == 1 && digits_count == count && memcmp(one_digits, alone, count * sizeof alone[0]) == 0,
          "one number: %zu numbers, %zu digits (read alone: %zu)", numbers_count, digits_count, count);
    /* The PNG and file forms read the same form. */
    size_t size = 0;
    unsigned char *png = gray_png(form, FW, FH, &size);
    char path[] = "/tmp/lenet-form-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, png, size) == (ssize_t)size && close(fd) == 0, "cannot write %s", path);
    lenet_read_number from_png[4], from_file[4];
    lenet_read_digit png_digits[9], file_digits[9];
    CHECK_STATUS(lenet_model_read_numbers_png(model, png, size, from_png, 4, &numbers_count, png_digits, 9, &digits_count, NULL, 0), LENET_OK);
    CHECK(numbers_count == 3 && memcmp(from_png, numbers, 3 * sizeof numbers[0]) == 0 && memcmp(png_digits, found, 8 * sizeof found[0]) == 0,
          "the PNG reads %zu numbers, or other ones", numbers_count);
    CHECK_STATUS(lenet_model_read_numbers_png_file(model, path, from_file, 4, &numbers_count, file_digits, 9, &digits_count, NULL, 0), LENET_OK);
    CHECK(numbers_count == 3 && digits_count == 8 && memcmp(from_file, from_png, 3 * sizeof from_png[0]) == 0 &&
              memcmp(file_digits, png_digits, 8 * sizeof png_digits[0]) == 0, "the file reads other numbers than its bytes");
    CHECK_STATUS(lenet_model_read_numbers_png_file(model, "/nonexistent.png", from_file, 4, &numbers_count, file_digits, 9, &digits_count, NULL, 0),
                 LENET_ERR_IO);
    CHECK_STATUS(lenet_model_read_numbers_png(model, png, size / 2, from_png, 4, &numbers_count, png_digits, 9, &digits_count, NULL, 0),
                 LENET_ERR_PNG_TRUNCATED);
    unlink(path);
    free(png);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODEL DIGITS\n", argv[0]);
        return 2;
    }
    size_t size = 0;
    unsigned char *raw = read_file(argv[2], &size);
    if (!raw || size != sizeof digits) {
        fprintf(stderr, "cannot read %s (%zu bytes)\n", argv[2], size);
        return 2;
    }
    memcpy(digits, raw, sizeof digits);
    free(raw);
    srand(7);
    CHECK_STATUS(lenet_model_load(argv[1], &model), LENET_OK);
    if (model) {
        test_every_format_gives_the_same_digit();
        test_colour_channel_order();
        test_bounds_and_statuses();
        test_save_to_memory();
        test_read_number();
        test_read_batch();
        test_read_numbers();
    }
    lenet_model_free(model);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
