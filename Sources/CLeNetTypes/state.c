#include <stdatomic.h>
#include <string.h>
#include "lenet_types.h"

/* One message per thread, so concurrent callers never see each other's errors and
 * nothing needs freeing. */
static _Thread_local char last_error[1024];

void lenetc_set_error(const char *message) {
    if (!message) message = "";
    strncpy(last_error, message, sizeof last_error - 1);
    last_error[sizeof last_error - 1] = '\0';
}

const char *lenetc_get_error(void) { return last_error; }

/* 0 = the default (LENET_NUM_THREADS, else all cores). */
static _Atomic int32_t threads_setting;

void lenetc_set_threads(int32_t threads) { atomic_store(&threads_setting, threads); }

int32_t lenetc_get_threads(void) { return atomic_load(&threads_setting); }

/* 0 = the library's default for that limit. */
static _Atomic size_t limit_width, limit_height, limit_pixels;
static _Atomic ptrdiff_t limit_load;

void lenetc_set_load_limit(ptrdiff_t bytes) { atomic_store(&limit_load, bytes); }

ptrdiff_t lenetc_get_load_limit(void) { return atomic_load(&limit_load); }

void lenetc_set_image_limits(size_t width, size_t height, size_t pixels) {
    atomic_store(&limit_width, width);
    atomic_store(&limit_height, height);
    atomic_store(&limit_pixels, pixels);
}

void lenetc_get_image_limits(size_t *width, size_t *height, size_t *pixels) {
    *width = atomic_load(&limit_width);
    *height = atomic_load(&limit_height);
    *pixels = atomic_load(&limit_pixels);
}
