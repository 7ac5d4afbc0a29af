/* bench: inference speed through the C API.
 *
 *     bench MODEL.lenet DIGITS.u8 [SECONDS]
 *     bench --png FILE.png...
 *
 * DIGITS holds raw 28x28 digits (e.g. the first 1,000 of MNIST's test set). For 1 and 2
 * threads: batch-1 latency (median and 99th percentile of single calls) and images/s at
 * batch 64 and 1000, each the median of repeated timed runs. With --png: PNG decode +
 * preprocessing (lenet_png_to_digit from memory) per second for each file, median of runs. */
#include <lenet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench_png(int argc, char **argv) {
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { fprintf(stderr, "bench: cannot open %s\n", argv[i]); return 1; }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        unsigned char *png = malloc((size_t)n);
        if (!png || fread(png, 1, (size_t)n, f) != (size_t)n) { fclose(f); return 1; }
        fclose(f);
        unsigned char digit[784];
        if (lenet_png_to_digit(png, (size_t)n, digit, 784) != LENET_OK) { fprintf(stderr, "bench: %s\n", lenet_last_error()); return 1; }
        double rates[9];
        for (int r = 0; r < 9; r++) {
            int calls = 0;
            double t0 = now();
            while (now() - t0 < 0.2) { lenet_png_to_digit(png, (size_t)n, digit, 784); calls++; }
            rates[r] = calls / (now() - t0);
        }
        qsort(rates, 9, sizeof rates[0], compare);
        printf("%s (%ld bytes): %.0f digits/s decode + preprocess (median of 9)\n", argv[i], n, rates[4]);
        free(png);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "--png") == 0) return bench_png(argc, argv);
    if (argc < 3) {
        fprintf(stderr, "usage: %s MODEL.lenet DIGITS.u8 [SECONDS]\n", argv[0]);
        return 2;
    }
    double budget = argc > 3 ? atof(argv[3]) : 1.0;
    lenet_model *model = NULL;
    if (lenet_model_load(argv[1], &model) != LENET_OK) {
        fprintf(stderr, "bench: %s\n", lenet_last_error());
        return 1;
    }
    lenet_model_info info = {.struct_size = sizeof info};
    lenet_model_get_info(model, &info);
    printf("%s: %s model\n", argv[1], info.dtype == LENET_DTYPE_INT8 ? "int8" : "float32");
    FILE *f = fopen(argv[2], "rb");
    static unsigned char digits[1000 * 784];
    if (!f || fread(digits, 784, 1000, f) != 1000) {
        fprintf(stderr, "bench: cannot read 1000 digits from %s\n", argv[2]);
        return 1;
    }
    fclose(f);
    static int32_t labels[1000];
    static float scores[10000];
    enum { RUNS = 2000 };
    static double samples[RUNS];
    for (int threads = 1; threads <= 2; threads++) {
        lenet_set_num_threads(threads);
        for (int i = 0; i < 200; i++) lenet_model_predict(model, digits + (i % 1000) * 784, 1, labels, 1, scores, 10, LENET_OUTPUT_PROBABILITIES);
        int n = 0;
        double end = now() + budget;
        while (n < RUNS && (n < 100 || now() < end)) {
            double t0 = now();
            lenet_model_predict(model, digits + (n % 1000) * 784, 1, labels, 1, scores, 10, LENET_OUTPUT_PROBABILITIES);
            samples[n++] = now() - t0;
        }
        qsort(samples, (size_t)n, sizeof samples[0], compare);
        printf("threads %d  batch 1: p50 %.1f us  p99 %.1f us  (%d calls)\n", threads, samples[n / 2] * 1e6,
               samples[n * 99 / 100] * 1e6, n);
        int batches[] = {64, 1000};
        for (int b = 0; b < 2; b++) {
            int batch = batches[b];
            double rates[15];
            int reps = 0;
            for (int w = 0; w < 3; w++) lenet_model_predict(model, digits, (size_t)batch, labels, 1000, scores, 10000, LENET_OUTPUT_PROBABILITIES);
            end = now() + budget;
            while (reps < 15 && (reps < 5 || now() < end)) {
                int calls = batch == 64 ? 50 : 5;
                double t0 = now();
                for (int c = 0; c < calls; c++)
                    lenet_model_predict(model, digits, (size_t)batch, labels, 1000, scores, 10000, LENET_OUTPUT_PROBABILITIES);
                rates[reps++] = (double)(calls * batch) / (now() - t0);
            }
            qsort(rates, (size_t)reps, sizeof rates[0], compare);
            printf("threads %d  batch %d: %.0f images/s (median of %d)\n", threads, batch, rates[reps / 2], reps);
        }
    }
    lenet_model_free(model);
    return 0;
}
