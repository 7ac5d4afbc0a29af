/* The pass/fail counting of the C test programs (one translation unit each). */
#ifndef LENET_TEST_CHECK_H
#define LENET_TEST_CHECK_H

#include <lenet.h>

#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (cond) {                                                               \
            passed++;                                                             \
        } else {                                                                  \
            failed++;                                                             \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);       \
            fprintf(stderr, __VA_ARGS__);                                         \
            fprintf(stderr, " (last error: %s)\n", lenet_last_error());          \
        }                                                                         \
    } while (0)

/* A status and a message that says something. */
#define CHECK_STATUS(call, expected)                                                                   \
    do {                                                                                               \
        lenet_status got_ = (call);                                                                    \
        CHECK(got_ == (expected), "%s returned %s, expected %s", #call, lenet_status_string(got_),     \
              lenet_status_string(expected));                                                          \
        if ((expected) != LENET_OK) CHECK(strlen(lenet_last_error()) > 0, "%s left no message", #call); \
    } while (0)

#endif
