/* Whole-file reading and writing for the C test programs. */
#ifndef LENET_TEST_FILE_IO_H
#define LENET_TEST_FILE_IO_H

#include <stdio.h>
#include <stdlib.h>

/* The file's bytes (malloc'd; the caller frees them) and their count, or NULL. */
static inline unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc(n > 0 ? (size_t)n : 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return data;
}

static inline int write_file(const char *path, const unsigned char *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t w = fwrite(data, 1, size, f);
    return fclose(f) == 0 && w == size;
}

#endif
