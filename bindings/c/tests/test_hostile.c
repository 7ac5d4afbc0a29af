/* Hostile files through the C API, each on a thread with a 512 KiB stack (what many hosts
 * give their worker threads): every one must come back as an error status with a message,
 * from the file and from memory, and must not crash the process.
 *
 *     test_hostile FILE...     (.png files go to the PNG functions, the rest to the model loader)
 *
 * Ends with "N passed, N failed"; exits nonzero on any failure. */
#include <lenet.h>

#include "file_io.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

struct job {
    const char *path;
    lenet_status from_file, from_memory;
    char message[256];
};

static int is_png(const char *path) {
    size_t n = strlen(path);
    return n >= 4 && strcmp(path + n - 4, ".png") == 0;
}


static void *run(void *arg) {
    struct job *j = arg;
    size_t size = 0;
    unsigned char *bytes = read_file(j->path, &size);
    if (is_png(j->path)) {
        unsigned char digit[784];
        j->from_file = lenet_png_file_to_digit(j->path, digit, sizeof digit);
        snprintf(j->message, sizeof j->message, "%s", lenet_last_error());
        j->from_memory = bytes ? lenet_png_to_digit(bytes, size, digit, sizeof digit) : LENET_ERR_IO;
    } else {
        lenet_model *model = NULL;
        j->from_file = lenet_model_load(j->path, &model);
        snprintf(j->message, sizeof j->message, "%s", lenet_last_error());
        lenet_model_free(model);
        model = NULL;
        j->from_memory = bytes ? lenet_model_load_from_memory(bytes, size, &model) : LENET_ERR_IO;
        lenet_model_free(model);
    }
    free(bytes);
    return NULL;
}

int main(int argc, char **argv) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 512 * 1024);
    for (int i = 1; i < argc; i++) {
        struct job j = {.path = argv[i]};
        pthread_t thread;
        if (pthread_create(&thread, &attr, run, &j) != 0 || pthread_join(thread, NULL) != 0) {
            fprintf(stderr, "FAIL %s: cannot run a thread\n", argv[i]);
            failed++;
            continue;
        }
        int ok = j.from_file != LENET_OK && j.from_memory != LENET_OK && j.message[0] != '\0';
        if (ok) {
            passed++;
            printf("refused %s: %s: %.120s\n", strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i],
                   lenet_status_string(j.from_file), j.message);
        } else {
            failed++;
            fprintf(stderr, "FAIL %s: file %s, memory %s\n", argv[i], lenet_status_string(j.from_file),
                    lenet_status_string(j.from_memory));
        }
    }
    pthread_attr_destroy(&attr);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
