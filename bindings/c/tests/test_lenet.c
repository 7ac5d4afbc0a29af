/* Tests of the C API, run by `make test`:
 *
 *     test_lenet MODEL.lenet LOGITS.f32 DIGITS.u8 DATA_DIR TMP_DIR
 *
 * MODEL is a model trained by the CLI; DIGITS the first 1,000 MNIST test digits as raw
 * bytes; LOGITS what the Swift side (`lenet eval --limit 1000 --logits`) computed for them. Ends with
 * "N passed, N failed"; exits nonzero on any failure.
 *
 *     test_lenet --leak-loop MODEL.lenet N
 *
 * loads and frees the model N times (from the file and from memory) and decodes good and
 * corrupt PNGs, for LeakSanitizer. */
#include <lenet.h>

#include "check.h"
#include "file_io.h"

#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first 1,000 MNIST test digits and the Swift side's logits for them. */
#define N_DIGITS 1000
static unsigned char digits[N_DIGITS * 784];
static float swift_logits[N_DIGITS * 10];
static lenet_model *model;

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", LENET_VERSION_MAJOR, LENET_VERSION_MINOR, LENET_VERSION_PATCH);
    CHECK(strcmp(lenet_version_string(), expected) == 0, "version %s != header %s", lenet_version_string(), expected);
    CHECK_STATUS(lenet_check_version(LENET_VERSION_MAJOR, LENET_VERSION_MINOR, LENET_VERSION_PATCH), LENET_OK);
    CHECK_STATUS(lenet_check_version(LENET_VERSION_MAJOR + 1, 0, 0), LENET_ERR_VERSION);
    CHECK_STATUS(lenet_check_version(LENET_VERSION_MAJOR, LENET_VERSION_MINOR + 1, 0), LENET_ERR_VERSION);
    for (int s = 0; s <= LENET_ERR_NO_INK; s++)
        CHECK(lenet_status_string((lenet_status)s) && strlen(lenet_status_string((lenet_status)s)) > 0, "status %d unnamed", s);
    CHECK(strcmp(lenet_status_string((lenet_status)999), "unknown status") == 0, "unknown status named %s",
          lenet_status_string((lenet_status)999));
    CHECK_STATUS(lenet_set_num_threads(-1), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_set_num_threads(1000), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_set_num_threads(3), LENET_OK);
    CHECK(lenet_get_num_threads() == 3, "threads %d", lenet_get_num_threads());
    CHECK_STATUS(lenet_set_num_threads(0), LENET_OK);
    CHECK(lenet_get_num_threads() >= 1, "threads %d", lenet_get_num_threads());
}

static void test_load_errors(const char *model_path, const char *tmp) {
    lenet_model *m = (lenet_model *)&m; /* garbage the call must overwrite */
    CHECK_STATUS(lenet_model_load(NULL, &m), LENET_ERR_INVALID_ARGUMENT);
    CHECK(m == NULL, "out_model not cleared on failure");
    CHECK_STATUS(lenet_model_load(model_path, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_load("/nonexistent/model.lenet", &m), LENET_ERR_IO);
    CHECK(strstr(lenet_last_error(), "/nonexistent/model.lenet") != NULL, "message does not name the file: %s", lenet_last_error());
    CHECK_STATUS(lenet_model_load(tmp, &m), LENET_ERR_IO); /* a directory */

    size_t size = 0;
    unsigned char *bytes = read_file(model_path, &size);
    CHECK(bytes != NULL && size > 1000, "cannot read %s", model_path);
    if (!bytes) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/truncated.lenet", tmp);
    CHECK(write_file(path, bytes, size / 2), "cannot write %s", path);
    CHECK_STATUS(lenet_model_load(path, &m), LENET_ERR_FORMAT);
    CHECK(strstr(lenet_last_error(), "truncated") != NULL, "message: %s", lenet_last_error());
    bytes[size / 3] ^= 0x04;
    snprintf(path, sizeof path, "%s/flipped.lenet", tmp);
    CHECK(write_file(path, bytes, size), "cannot write %s", path);
    CHECK_STATUS(lenet_model_load(path, &m), LENET_ERR_FORMAT);
    CHECK(strstr(lenet_last_error(), "checksum") != NULL, "message: %s", lenet_last_error());
    CHECK_STATUS(lenet_model_load_from_memory(bytes, size, &m), LENET_ERR_FORMAT);
    bytes[size / 3] ^= 0x04;
    CHECK_STATUS(lenet_model_load_from_memory(NULL, size, &m), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_load_from_memory(bytes, 0, &m), LENET_ERR_FORMAT);
    CHECK_STATUS(lenet_model_load_from_memory(bytes, size, &m), LENET_OK);
    lenet_model_free(m);
    /* The load limit: a model larger than it is refused, from memory and from the file;
     * 0 restores the default. A size_t beyond Int is named as the caller wrote it. */
    CHECK_STATUS(lenet_set_model_load_limit(size - 1), LENET_OK);
    CHECK_STATUS(lenet_model_load_from_memory(bytes, size, &m), LENET_ERR_FORMAT);
    CHECK(strstr(lenet_last_error(), "load limit") != NULL, "message: %s", lenet_last_error());
    CHECK_STATUS(lenet_model_load(model_path, &m), LENET_ERR_IO);
    CHECK_STATUS(lenet_set_model_load_limit(0), LENET_OK);
    CHECK_STATUS(lenet_model_load(model_path, &m), LENET_OK);
    lenet_model_free(m);
    CHECK_STATUS(lenet_model_load_from_memory(bytes, (size_t)-1, &m), LENET_ERR_FORMAT);
    CHECK(strstr(lenet_last_error(), "18446744073709551615") != NULL, "size_t reported as: %s", lenet_last_error());
    lenet_model_free(NULL);

    /* 10,000 random byte strings, and 2,000 valid files with random bytes overwritten. */
    unsigned seed = 12345;
    unsigned char *junk = malloc(size);
    int accepted = 0;
    for (int i = 0; i < 12000 && junk; i++) {
        size_t n;
        if (i < 10000) {
            n = (size_t)(rand_r(&seed) % 4096);
            for (size_t j = 0; j < n; j++) junk[j] = (unsigned char)rand_r(&seed);
            if (i % 3 == 0 && n >= 8) memcpy(junk, "LENETCKP", 8); /* get past the magic */
        } else {
            n = size;
            memcpy(junk, bytes, size);
            for (int k = 0; k < 4; k++) junk[(size_t)rand_r(&seed) % size] = (unsigned char)rand_r(&seed);
            if (memcmp(junk, bytes, size) == 0) continue;
        }
        lenet_model *r = NULL;
        if (lenet_model_load_from_memory(junk, n, &r) == LENET_OK) accepted++;
        lenet_model_free(r);
    }
    CHECK(accepted == 0, "%d corrupt buffers were accepted", accepted);
    free(junk);
    free(bytes);
}

static void test_info_and_metadata(void) {
    lenet_model_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info - 1;
    CHECK_STATUS(lenet_model_get_info(model, &info), LENET_ERR_INVALID_ARGUMENT);
    info.struct_size = sizeof info;
    CHECK_STATUS(lenet_model_get_info(model, &info), LENET_OK);
    CHECK(info.dtype == LENET_DTYPE_F32 && info.parameter_count == 61706, "dtype %d, %zu parameters", info.dtype, info.parameter_count);
    CHECK(info.format_version_major == 1 && info.has_training_state == 1 && info.epochs_completed >= 1,
          "format %u, training %d, epochs %d", info.format_version_major, info.has_training_state, info.epochs_completed);
    CHECK_STATUS(lenet_model_get_info(NULL, &info), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_get_info(model, NULL), LENET_ERR_INVALID_ARGUMENT);

    char value[64];
    size_t length = 0;
    CHECK_STATUS(lenet_model_get_metadata(model, "lenet.architecture", value, sizeof value, &length), LENET_OK);
    CHECK(strcmp(value, "lenet5-relu-maxpool") == 0 && length == strlen(value), "architecture '%s' (%zu)", value, length);
    memset(value, 'x', sizeof value);
    CHECK_STATUS(lenet_model_get_metadata(model, "lenet.architecture", value, 4, &length), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK(length == strlen("lenet5-relu-maxpool") && value[0] == 'x', "length %zu, buffer touched", length);
    CHECK_STATUS(lenet_model_get_metadata(model, "lenet.architecture", NULL, 0, &length), LENET_OK);
    CHECK_STATUS(lenet_model_get_metadata(model, "no.such.key", value, sizeof value, &length), LENET_ERR_NOT_FOUND);
    CHECK_STATUS(lenet_model_get_metadata(model, NULL, value, sizeof value, &length), LENET_ERR_INVALID_ARGUMENT);
    size_t found = 0;
    for (size_t i = 0; i < info.metadata_count; i++) {
        CHECK_STATUS(lenet_model_get_metadata_key(model, i, value, sizeof value, NULL), LENET_OK);
        if (strcmp(value, "accuracy.test") == 0) found++;
    }
    CHECK(found == 1, "accuracy.test listed %zu times", found);
    CHECK_STATUS(lenet_model_get_metadata_key(model, info.metadata_count, value, sizeof value, NULL), LENET_ERR_NOT_FOUND);
}

static void test_predict(void) {
    static int32_t labels[N_DIGITS + 1];
    static float scores[N_DIGITS * 10];
    labels[N_DIGITS - 1] = -7;
    CHECK_STATUS(lenet_model_predict(NULL, digits, 1, labels, 1, NULL, 0, LENET_OUTPUT_LOGITS), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_predict(model, NULL, 1, labels, 1, NULL, 0, LENET_OUTPUT_LOGITS), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_predict(model, digits, 0, labels, 1, NULL, 0, LENET_OUTPUT_LOGITS), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_predict(model, digits, 1, NULL, 0, NULL, 0, LENET_OUTPUT_LOGITS), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_predict(model, digits, 1, labels, 1, NULL, 0, (lenet_output)7), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_predict(model, digits, N_DIGITS, labels, N_DIGITS - 1, NULL, 0, LENET_OUTPUT_LOGITS),
                 LENET_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(lenet_model_predict(model, digits, N_DIGITS, labels, N_DIGITS, scores, 10 * N_DIGITS - 1, LENET_OUTPUT_LOGITS),
                 LENET_ERR_BUFFER_TOO_SMALL);
    CHECK(labels[N_DIGITS - 1] == -7, "a failed call wrote to labels");

    /* Bit for bit what the Swift side computed. */
    CHECK_STATUS(lenet_model_predict(model, digits, N_DIGITS, labels, N_DIGITS, scores, 10 * N_DIGITS, LENET_OUTPUT_LOGITS), LENET_OK);
    CHECK(memcmp(scores, swift_logits, sizeof scores) == 0, "C logits differ from the Swift side's");
    int label_mismatch = 0;
    for (int i = 0; i < N_DIGITS; i++) {
        int best = 0;
        for (int k = 1; k < 10; k++)
            if (swift_logits[i * 10 + k] > swift_logits[i * 10 + best]) best = k;
        if (labels[i] != best) label_mismatch++;
    }
    CHECK(label_mismatch == 0, "%d labels differ from the argmax of the Swift logits", label_mismatch);

    /* Labels only, for more images than the library's 4096-image scratch: the same labels. */
    {
        enum { REPEAT = 5 };
        unsigned char *many = malloc(sizeof digits * REPEAT);
        int32_t *many_labels = malloc(sizeof(int32_t) * N_DIGITS * REPEAT);
        for (int r = 0; r < REPEAT && many; r++) memcpy(many + r * sizeof digits, digits, sizeof digits);
        CHECK_STATUS(lenet_model_predict(model, many, N_DIGITS * REPEAT, many_labels, N_DIGITS * REPEAT, NULL, 0,
                                         LENET_OUTPUT_PROBABILITIES), LENET_OK);
        int differ = 0;
        for (int i = 0; i < N_DIGITS * REPEAT; i++) differ += many_labels[i] != labels[i % N_DIGITS];
        CHECK(differ == 0, "%d labels differ in the %d-image label-only call", differ, N_DIGITS * REPEAT);
        free(many);
        free(many_labels);
    }

    /* Probabilities: softmax of those logits. */
    static float probs[N_DIGITS * 10];
    CHECK_STATUS(lenet_model_predict(model, digits, N_DIGITS, NULL, 0, probs, 10 * N_DIGITS, LENET_OUTPUT_PROBABILITIES), LENET_OK);
    double worst = 0;
    for (int i = 0; i < N_DIGITS; i++) {
        double sum = 0, m = -INFINITY;
        for (int k = 0; k < 10; k++) { sum += probs[i * 10 + k]; if (swift_logits[i * 10 + k] > m) m = swift_logits[i * 10 + k]; }
        double z = 0;
        for (int k = 0; k < 10; k++) z += exp(swift_logits[i * 10 + k] - m);
        for (int k = 0; k < 10; k++) {
            double p = exp(swift_logits[i * 10 + k] - m) / z;
            if (fabs(p - probs[i * 10 + k]) > worst) worst = fabs(p - probs[i * 10 + k]);
        }
        if (fabs(sum - 1) > worst) worst = fabs(sum - 1);
    }
    CHECK(worst < 1e-5, "probabilities off by %g", worst);

    /* Normalised float inputs give the same logits (within float rounding). */
    static float inputs[N_DIGITS * 1024];
    for (int i = 0; i < N_DIGITS; i++)
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++) {
                int inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                float pixel = inside ? digits[i * 784 + (y - 2) * 28 + (x - 2)] / 255.0f : 0.0f;
                inputs[i * 1024 + y * 32 + x] = (pixel - 0.1307f) / 0.3081f;
            }
    static float f32_logits[N_DIGITS * 10];
    CHECK_STATUS(lenet_model_predict_f32(model, inputs, N_DIGITS, NULL, 0, f32_logits, 10 * N_DIGITS, LENET_OUTPUT_LOGITS), LENET_OK);
    worst = 0;
    for (int i = 0; i < N_DIGITS * 10; i++) {
        double d = fabs(f32_logits[i] - swift_logits[i]) / fmax(1.0, fabs(swift_logits[i]));
        if (d > worst) worst = d;
    }
    CHECK(worst < 1e-4, "f32 inputs give logits off by %g", worst);
    CHECK_STATUS(lenet_model_predict_f32(model, NULL, 1, labels, 1, NULL, 0, LENET_OUTPUT_LOGITS), LENET_ERR_INVALID_ARGUMENT);
    /* A NaN input is refused, and nothing is written. */
    inputs[3 * 1024 + 500] = NAN;
    labels[3] = -7;
    CHECK_STATUS(lenet_model_predict_f32(model, inputs, N_DIGITS, labels, N_DIGITS, NULL, 0, LENET_OUTPUT_LOGITS),
                 LENET_ERR_INVALID_ARGUMENT);
    CHECK(labels[3] == -7 && strstr(lenet_last_error(), "finite") != NULL, "NaN input: label %d, %s", labels[3], lenet_last_error());
    inputs[3 * 1024 + 500] = INFINITY;
    CHECK_STATUS(lenet_model_predict_f32(model, inputs, N_DIGITS, labels, N_DIGITS, NULL, 0, LENET_OUTPUT_LOGITS),
                 LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_predict(model, digits, (size_t)-1, labels, N_DIGITS, NULL, 0, LENET_OUTPUT_LOGITS),
                 LENET_ERR_INVALID_ARGUMENT);
    CHECK(strstr(lenet_last_error(), "18446744073709551615") != NULL, "size_t reported as: %s", lenet_last_error());
}

/* Eight threads share one model; each classifies all 1,000 digits one call per 10. */
struct worker { int32_t labels[N_DIGITS]; float logits[N_DIGITS * 10]; lenet_status status; };

static void *predict_worker(void *arg) {
    struct worker *w = arg;
    w->status = LENET_OK;
    for (int i = 0; i < N_DIGITS && w->status == LENET_OK; i += 10)
        w->status = lenet_model_predict(model, digits + i * 784, 10, w->labels + i, 10, w->logits + i * 10, 100, LENET_OUTPUT_LOGITS);
    return NULL;
}

static void test_threads(void) {
    static struct worker workers[8];
    pthread_t threads[8];
    for (int t = 0; t < 8; t++) pthread_create(&threads[t], NULL, predict_worker, &workers[t]);
    for (int t = 0; t < 8; t++) pthread_join(threads[t], NULL);
    for (int t = 0; t < 8; t++) {
        CHECK(workers[t].status == LENET_OK, "thread %d: %s", t, lenet_status_string(workers[t].status));
        CHECK(memcmp(workers[t].logits, swift_logits, sizeof swift_logits) == 0, "thread %d got different logits", t);
    }
}

static int batches_seen, epochs_seen, stop_after;
static double first_rate, previous_rate;

/* Returning nonzero stops the run (LENET_ERR_CANCELLED), which fails the checks below: so
 * a report out of range fails the test. The default cosine schedule starts at the set
 * rate and only falls; an epoch's report carries its first step's rate. */
static int on_progress(const lenet_progress *p, void *user_data) {
    (void)user_data;
    if (p->epoch_done) {
        epochs_seen++;
        if (p->learning_rate != first_rate) return 1;
    } else {
        batches_seen++;
        if (p->batch < 1 || p->batch > p->batches || p->loss <= 0) return 1;
        if (p->batch == 1) {
            if ((float)p->learning_rate != 0.002f && p->epoch == 1) return 1;
            first_rate = p->learning_rate;
        } else if (!(p->learning_rate > 0 && p->learning_rate <= previous_rate)) {
            return 1;
        }
        previous_rate = p->learning_rate;
    }
    return stop_after > 0 && batches_seen >= stop_after;
}

static void test_datasets_and_training(const char *data_dir, const char *tmp) {
    char images[4096], labels[4096];
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte.gz", data_dir);
    snprintf(labels, sizeof labels, "%s/t10k-labels-idx1-ubyte.gz", data_dir);
    lenet_dataset *test = NULL, *bad = NULL;
    CHECK_STATUS(lenet_dataset_load_idx("/nonexistent", labels, &bad), LENET_ERR_IO);
    CHECK_STATUS(lenet_dataset_load_idx(labels, labels, &bad), LENET_ERR_DATASET);
    CHECK_STATUS(lenet_dataset_load_idx(NULL, labels, &bad), LENET_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL, "dataset set on failure");
    CHECK_STATUS(lenet_dataset_load_idx(images, labels, &test), LENET_OK);
    CHECK(lenet_dataset_count(test) == 10000, "%zu test digits", lenet_dataset_count(test));
    CHECK(lenet_dataset_count(NULL) == 0, "count of NULL");

    size_t correct = 0;
    int64_t confusion[100];
    CHECK_STATUS(lenet_model_evaluate(model, test, &correct, confusion, 99), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(lenet_model_evaluate(model, NULL, &correct, NULL, 0), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_model_evaluate(model, test, &correct, confusion, 100), LENET_OK);
    int64_t total = 0, diagonal = 0;
    for (int i = 0; i < 100; i++) total += confusion[i];
    for (int i = 0; i < 10; i++) diagonal += confusion[i * 11];
    CHECK(total == 10000 && (size_t)diagonal == correct && correct > 9000, "%zu correct, confusion total %lld",
          correct, (long long)total);

    /* A dataset from arrays: the first 1,000 test digits with their labels. */
    unsigned char first_labels[N_DIGITS];
    int32_t predicted[N_DIGITS];
    CHECK_STATUS(lenet_model_predict(model, digits, N_DIGITS, predicted, N_DIGITS, NULL, 0, LENET_OUTPUT_LOGITS), LENET_OK);
    for (int i = 0; i < N_DIGITS; i++) first_labels[i] = (unsigned char)predicted[i];
    lenet_dataset *small = NULL;
    CHECK_STATUS(lenet_dataset_from_arrays(digits, first_labels, 0, &small), LENET_ERR_INVALID_ARGUMENT);
    first_labels[5] = 10;
    CHECK_STATUS(lenet_dataset_from_arrays(digits, first_labels, N_DIGITS, &small), LENET_ERR_INVALID_ARGUMENT);
    first_labels[5] = (unsigned char)predicted[5];
    CHECK_STATUS(lenet_dataset_from_arrays(digits, first_labels, N_DIGITS, &small), LENET_OK);
    CHECK_STATUS(lenet_model_evaluate(model, small, &correct, NULL, 0), LENET_OK);
    CHECK(correct == N_DIGITS, "the model disagrees with its own labels on %zu digits", N_DIGITS - correct);

    /* Training: bad params, cancellation, one epoch, thread-count independence, resume. */
    lenet_train_params params = lenet_train_default_params();
    CHECK(params.epochs == 10 && params.batch_size == 64 && params.optimizer == LENET_OPTIMIZER_ADAM &&
          params.augment == 1 && params.pen_share == 0.2f && params.struct_size == sizeof params,
          "defaults: %d epochs, batch %d, augment %d, pen share %g", params.epochs, params.batch_size, params.augment,
          (double)params.pen_share);
    lenet_model *trained = NULL, *trained2 = NULL, *resumed = NULL;
    params.epochs = 1;
    params.struct_size = 8;
    CHECK_STATUS(lenet_train(&params, test, NULL, &trained), LENET_ERR_INVALID_ARGUMENT);
    params.struct_size = 0;
    CHECK_STATUS(lenet_train(&params, test, NULL, &trained), LENET_ERR_INVALID_ARGUMENT);
    params.struct_size = sizeof params;
    params.batch_size = 0;
    CHECK_STATUS(lenet_train(&params, test, NULL, &trained), LENET_ERR_INVALID_ARGUMENT);
    params.batch_size = 64;
    params.pen_share = -0.5f;
    CHECK_STATUS(lenet_train(&params, test, NULL, &trained), LENET_ERR_INVALID_ARGUMENT);
    params.pen_share = 0.2f;
    float pair_share = params.pair_share;
    params.pair_share = -0.5f;
    CHECK_STATUS(lenet_train(&params, test, NULL, &trained), LENET_ERR_INVALID_ARGUMENT);
    params.pair_share = 10.5f;
    CHECK_STATUS(lenet_train(&params, test, NULL, &trained), LENET_ERR_INVALID_ARGUMENT);
    params.pair_share = pair_share;
    CHECK_STATUS(lenet_train(&params, NULL, NULL, &trained), LENET_ERR_INVALID_ARGUMENT);

    /* A 0.5 caller's struct ends before pair_share: what lies there is not read (the run
     * gets the default share and starts, here to be cancelled). */
    params.progress = on_progress;
    stop_after = 3;
    params.struct_size = offsetof(lenet_train_params, pair_share);
    params.pair_share = -1.0f;
    CHECK_STATUS(lenet_train(&params, test, NULL, &trained), LENET_ERR_CANCELLED);
    CHECK(trained == NULL && batches_seen == 3, "cancelled run: model %p after %d batches", (void *)trained, batches_seen);
    params.struct_size = sizeof params;
    params.pair_share = pair_share;

    stop_after = 0;
    batches_seen = epochs_seen = 0;
    params.threads = 1;
    CHECK_STATUS(lenet_train(&params, test, small, &trained), LENET_OK);
    /* 10,000 digits, the default 0.2 share of pen digits and 0.1 of touching pairs (1,000,
     * and 1,000 digits cut from pairs): 14,000 in batches of 64. */
    CHECK(batches_seen == 219 && epochs_seen == 1, "%d batches, %d epochs reported", batches_seen, epochs_seen);
    /* The run's numbers travel with the model: a header and one line for the epoch. */
    char history[512];
    CHECK_STATUS(lenet_model_get_metadata(trained, "training.history", history, sizeof history, NULL), LENET_OK);
    CHECK(strncmp(history, "epoch,loss,train_accuracy,test_accuracy,learning_rate\n1,", 56) == 0 && strchr(history + 56, '\n') == NULL,
          "history: %s", history);
    params.threads = 2;
    params.progress = NULL;
    CHECK_STATUS(lenet_train(&params, test, small, &trained2), LENET_OK);
    static float a[N_DIGITS * 10], b[N_DIGITS * 10];
    lenet_model_predict(trained, digits, N_DIGITS, NULL, 0, a, 10 * N_DIGITS, LENET_OUTPUT_LOGITS);
    lenet_model_predict(trained2, digits, N_DIGITS, NULL, 0, b, 10 * N_DIGITS, LENET_OUTPUT_LOGITS);
    CHECK(memcmp(a, b, sizeof a) == 0, "1 and 2 threads trained different models");

    params.epochs = 1;
    CHECK_STATUS(lenet_train_resume(trained, &params, test, NULL, &resumed), LENET_ERR_INVALID_ARGUMENT);
    params.epochs = 2;
    CHECK_STATUS(lenet_train_resume(trained, &params, test, NULL, &resumed), LENET_OK);
    lenet_model_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_STATUS(lenet_model_get_info(resumed, &info), LENET_OK);
    CHECK(info.epochs_completed == 2, "resumed model has %d epochs", info.epochs_completed);

    char path[4096];
    snprintf(path, sizeof path, "%s/trained.lenet", tmp);
    CHECK_STATUS(lenet_model_save(resumed, path), LENET_OK);
    CHECK_STATUS(lenet_model_save(resumed, "/nonexistent/dir/m.lenet"), LENET_ERR_IO);
    CHECK_STATUS(lenet_model_save(NULL, path), LENET_ERR_INVALID_ARGUMENT);
    lenet_model *reloaded = NULL;
    CHECK_STATUS(lenet_model_load(path, &reloaded), LENET_OK);
    lenet_model_predict(resumed, digits, N_DIGITS, NULL, 0, a, 10 * N_DIGITS, LENET_OUTPUT_LOGITS);
    lenet_model_predict(reloaded, digits, N_DIGITS, NULL, 0, b, 10 * N_DIGITS, LENET_OUTPUT_LOGITS);
    CHECK(memcmp(a, b, sizeof a) == 0, "saved and reloaded model differs");

    lenet_model_free(reloaded);
    lenet_model_free(resumed);
    lenet_model_free(trained2);
    lenet_model_free(trained);
    lenet_dataset_free(small);
    lenet_dataset_free(test);
}

/* lenet_train_params as a program built against 0.2's header declares it: no
 * checkpoint_path. Callers like that must keep working with this library. */
typedef struct {
    size_t struct_size;
    int32_t epochs, batch_size;
    float learning_rate;
    lenet_optimizer optimizer;
    float momentum;
    lenet_lr_schedule lr_schedule;
    uint64_t seed;
    int32_t augment, threads;
    lenet_progress_fn progress;
    void *user_data;
} train_params_v0_2;

/* Old and new callers of the growable structs: an old train_params struct trains exactly
 * like the current one and nothing past its end is read; checkpoint_path saves every epoch;
 * lenet_model_info is written only as far as the caller's struct_size. */
static void test_growing_structs(const char *data_dir, const char *tmp) {
    char images[4096], labels[4096], ckpt[4096];
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte.gz", data_dir);
    snprintf(labels, sizeof labels, "%s/t10k-labels-idx1-ubyte.gz", data_dir);
    snprintf(ckpt, sizeof ckpt, "%s/every-epoch.lenet", tmp);
    remove(ckpt);
    lenet_dataset *data = NULL;
    CHECK_STATUS(lenet_dataset_load_idx(images, labels, &data), LENET_OK);

    lenet_train_params current = lenet_train_default_params();
    current.epochs = 1;
    current.threads = 2;
    current.checkpoint_path = ckpt;
    lenet_model *fresh = NULL, *old = NULL, *saved = NULL;
    CHECK_STATUS(lenet_train(&current, data, NULL, &fresh), LENET_OK);

    /* The old struct sits in a buffer whose bytes after it are garbage: a library that read
     * a checkpoint_path from there would fail or crash. */
    union {
        train_params_v0_2 params;
        unsigned char bytes[sizeof(train_params_v0_2) + 64];
    } buffer;
    memset(buffer.bytes, 0xA5, sizeof buffer.bytes);
    lenet_train_params defaults = lenet_train_default_params();
    memcpy(&buffer.params, &defaults, sizeof buffer.params);
    buffer.params.struct_size = sizeof buffer.params;
    buffer.params.epochs = 1;
    buffer.params.threads = 1;
    CHECK(sizeof(train_params_v0_2) < sizeof(lenet_train_params), "the struct grew: %zu vs %zu",
          sizeof(train_params_v0_2), sizeof(lenet_train_params));
    CHECK_STATUS(lenet_train((const lenet_train_params *)&buffer.params, data, NULL, &old), LENET_OK);
    CHECK_STATUS(lenet_model_load(ckpt, &saved), LENET_OK);
    static float a[N_DIGITS * 10], b[N_DIGITS * 10], c[N_DIGITS * 10];
    if (fresh && old && saved) {
        lenet_model_predict(fresh, digits, N_DIGITS, NULL, 0, a, 10 * N_DIGITS, LENET_OUTPUT_LOGITS);
        lenet_model_predict(old, digits, N_DIGITS, NULL, 0, b, 10 * N_DIGITS, LENET_OUTPUT_LOGITS);
        lenet_model_predict(saved, digits, N_DIGITS, NULL, 0, c, 10 * N_DIGITS, LENET_OUTPUT_LOGITS);
        CHECK(memcmp(a, b, sizeof a) == 0, "an 0.2-sized params struct trained a different model");
        CHECK(memcmp(a, c, sizeof a) == 0, "the checkpoint_path file is not the trained model");
    }

    /* Sizes no header ever declared are refused. */
    lenet_model *none = NULL;
    current.struct_size = sizeof(train_params_v0_2) - 4;
    CHECK_STATUS(lenet_train(&current, data, NULL, &none), LENET_ERR_INVALID_ARGUMENT);
    current.struct_size = sizeof current + 8;
    CHECK_STATUS(lenet_train(&current, data, NULL, &none), LENET_ERR_INVALID_ARGUMENT);
    current.struct_size = sizeof current;
    current.checkpoint_path = "/nonexistent/dir/every-epoch.lenet";
    CHECK_STATUS(lenet_train(&current, data, NULL, &none), LENET_ERR_IO);
    CHECK(none != NULL, "a failed checkpoint save keeps the epoch's model in *out_model");
    lenet_model_free(none);

    /* lenet_model_info: a caller's struct is filled up to its struct_size, not past it. */
    union {
        lenet_model_info info;
        unsigned char bytes[sizeof(lenet_model_info) + 16];
    } out;
    memset(out.bytes, 0xA5, sizeof out.bytes);
    out.info.struct_size = sizeof out.info;
    CHECK_STATUS(lenet_model_get_info(fresh, &out.info), LENET_OK);
    int untouched = 1;
    for (size_t i = sizeof out.info; i < sizeof out.bytes; i++) untouched &= out.bytes[i] == 0xA5;
    CHECK(untouched && out.info.struct_size == sizeof out.info && out.info.epochs_completed == 1,
          "info written past its struct_size or wrong (epochs %d)", out.info.epochs_completed);
    out.info.struct_size = sizeof out.info + 16; /* a newer header's larger struct */
    CHECK_STATUS(lenet_model_get_info(fresh, &out.info), LENET_OK);
    CHECK(out.info.struct_size == sizeof out.info + 16, "struct_size rewritten to %zu", out.info.struct_size);

    lenet_model_free(saved);
    lenet_model_free(old);
    lenet_model_free(fresh);
    lenet_dataset_free(data);
    remove(ckpt);
}

/* PNG digits: the samples by file and from memory, and every failure's own status. */
/* int8: lenet_quantize's errors, the dtype it reports, accuracy within half a point of the
 * float model, save/reload, and the same predict functions serving both kinds. */
static void test_quantize(const char *data_dir, const char *tmp) {
    lenet_model *q = (lenet_model *)&passed;
    CHECK_STATUS(lenet_quantize(NULL, digits, 100, &q), LENET_ERR_INVALID_ARGUMENT);
    CHECK(q == NULL, "out_model not cleared on failure");
    CHECK_STATUS(lenet_quantize(model, NULL, 100, &q), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_quantize(model, digits, 0, &q), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_quantize(model, digits, 100, NULL), LENET_ERR_INVALID_ARGUMENT);
    /* Calibrated on the second half of the 1,000 digits, checked on all 10,000. */
    CHECK_STATUS(lenet_quantize(model, digits + 500 * 784, 500, &q), LENET_OK);
    if (!q) return;

    lenet_model_info info = {.struct_size = sizeof info};
    CHECK_STATUS(lenet_model_get_info(q, &info), LENET_OK);
    CHECK(info.dtype == LENET_DTYPE_INT8 && info.parameter_count == 61706 && info.has_training_state == 0,
          "dtype %d, %zu parameters, training state %d", info.dtype, info.parameter_count, info.has_training_state);
    char value[64];
    CHECK_STATUS(lenet_model_get_metadata(q, "lenet.dtype", value, sizeof value, NULL), LENET_OK);
    CHECK(strcmp(value, "int8") == 0, "lenet.dtype is '%s'", value);
    lenet_model *twice = NULL;
    CHECK_STATUS(lenet_quantize(q, digits, 100, &twice), LENET_ERR_INVALID_ARGUMENT);

    char images[4096], labels[4096];
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte.gz", data_dir);
    snprintf(labels, sizeof labels, "%s/t10k-labels-idx1-ubyte.gz", data_dir);
    lenet_dataset *test = NULL;
    CHECK_STATUS(lenet_dataset_load_idx(images, labels, &test), LENET_OK);
    size_t float_correct = 0, int8_correct = 0;
    CHECK_STATUS(lenet_model_evaluate(model, test, &float_correct, NULL, 0), LENET_OK);
    CHECK_STATUS(lenet_model_evaluate(q, test, &int8_correct, NULL, 0), LENET_OK);
    long diff = (long)int8_correct - (long)float_correct;
    CHECK(diff >= -50 && diff <= 50, "int8 %zu vs float %zu correct of 10000", int8_correct, float_correct);
    lenet_dataset_free(test);

    /* Labels, probabilities, logits, f32 inputs and PNGs all work; threads do not change results. */
    static float one[N_DIGITS * 10], two[N_DIGITS * 10];
    int32_t labels_out[N_DIGITS];
    lenet_set_num_threads(1);
    CHECK_STATUS(lenet_model_predict(q, digits, N_DIGITS, labels_out, N_DIGITS, one, N_DIGITS * 10, LENET_OUTPUT_LOGITS), LENET_OK);
    lenet_set_num_threads(2);
    CHECK_STATUS(lenet_model_predict(q, digits, N_DIGITS, NULL, 0, two, N_DIGITS * 10, LENET_OUTPUT_LOGITS), LENET_OK);
    CHECK(memcmp(one, two, sizeof one) == 0, "int8 logits depend on the thread count");
    int agree = 0;
    for (int i = 0; i < N_DIGITS; i++) {
        int best = 0;
        for (int c = 1; c < 10; c++)
            if (swift_logits[i * 10 + c] > swift_logits[i * 10 + best]) best = c;
        agree += best == labels_out[i];
    }
    CHECK(agree >= N_DIGITS * 98 / 100, "int8 and float agree on %d of %d digits", agree, N_DIGITS);
    int32_t png_label = -1;
    CHECK_STATUS(lenet_model_predict_png_file(q, "samples/digit-0-canvas-rgba8.png", &png_label, NULL, 0), LENET_OK);
    CHECK(png_label == 0, "int8 reads the canvas 0 as %d", png_label);

    /* .lenet only; the file round-trips to the same logits. */
    char path[4096];
    snprintf(path, sizeof path, "%s/int8.safetensors", tmp);
    CHECK_STATUS(lenet_model_save(q, path), LENET_ERR_INVALID_ARGUMENT);
    FILE *f = fopen(path, "rb");
    CHECK(f == NULL, "a refused save left %s behind", path);
    if (f) fclose(f);
    snprintf(path, sizeof path, "%s/int8.lenet", tmp);
    CHECK_STATUS(lenet_model_save(q, path), LENET_OK);
    lenet_model *back = NULL;
    CHECK_STATUS(lenet_model_load(path, &back), LENET_OK);
    CHECK_STATUS(lenet_model_predict(back, digits, N_DIGITS, NULL, 0, two, N_DIGITS * 10, LENET_OUTPUT_LOGITS), LENET_OK);
    CHECK(memcmp(one, two, sizeof one) == 0, "the reloaded int8 model predicts differently");
    size_t size = 0;
    unsigned char *bytes = read_file(path, &size);
    CHECK(bytes != NULL && size < 70000, "int8 file of %zu bytes", size);
    int accepted = 0;
    for (size_t i = 0; bytes && i < size; i += 61) {
        unsigned char saved = bytes[i];
        bytes[i] ^= 0x5a;
        lenet_model *m = NULL;
        if (lenet_model_load_from_memory(bytes, size, &m) == LENET_OK) accepted++;
        lenet_model_free(m);
        bytes[i] = saved;
    }
    CHECK(accepted == 0, "%d damaged int8 files were accepted", accepted);
    free(bytes);
    lenet_model_free(back);
    lenet_model_free(q);
}

static void test_png(const char *tmp) {
    const char *samples[] = {"samples/digit-7-mnist-gray8.png", "samples/digit-2-paper-rgb8.png",
                             "samples/digit-1-scan-gray16.png", "samples/digit-0-canvas-rgba8.png",
                             "samples/digit-4-page-palette4.png"};
    const int truth[] = {7, 2, 1, 0, 4};
    unsigned char digit[784];
    for (int i = 0; i < 5; i++) {
        int32_t label = -1, label2 = -1;
        float p[10], p2[10];
        CHECK_STATUS(lenet_png_file_to_digit(samples[i], digit, sizeof digit), LENET_OK);
        CHECK_STATUS(lenet_model_predict_png_file(model, samples[i], &label, p, 10), LENET_OK);
        CHECK(label == truth[i], "%s read as %d", samples[i], label);
        size_t size = 0;
        unsigned char *bytes = read_file(samples[i], &size);
        CHECK_STATUS(lenet_model_predict_png(model, bytes, size, &label2, p2, 10), LENET_OK);
        CHECK(label2 == label && memcmp(p, p2, sizeof p) == 0, "%s: memory and file disagree", samples[i]);
        /* The preprocessed digit classifies the same through the raw-digit path. */
        int32_t label3 = -1;
        CHECK_STATUS(lenet_model_predict(model, digit, 1, &label3, 1, NULL, 0, LENET_OUTPUT_LOGITS), LENET_OK);
        CHECK(label3 == label, "%s: digit path says %d", samples[i], label3);
        if (i == 0) {
            CHECK_STATUS(lenet_model_predict_png(model, bytes, size / 2, &label, p, 10), LENET_ERR_PNG_TRUNCATED);
            CHECK_STATUS(lenet_model_predict_png(model, bytes, size, &label, p, 9), LENET_ERR_BUFFER_TOO_SMALL);
            CHECK_STATUS(lenet_png_to_digit(bytes, size, digit, 783), LENET_ERR_BUFFER_TOO_SMALL);
            CHECK_STATUS(lenet_png_to_digit(NULL, size, digit, 784), LENET_ERR_INVALID_ARGUMENT);
            CHECK_STATUS(lenet_set_image_limits(10, 10, 0), LENET_OK);
            CHECK_STATUS(lenet_png_to_digit(bytes, size, digit, 784), LENET_ERR_IMAGE_TOO_LARGE);
            CHECK_STATUS(lenet_set_image_limits(0, 0, 0), LENET_OK);
            CHECK_STATUS(lenet_png_to_digit(bytes, size, digit, 784), LENET_OK);
        }
        free(bytes);
    }
    CHECK_STATUS(lenet_png_file_to_digit("README.md", digit, 784), LENET_ERR_NOT_PNG);
    CHECK_STATUS(lenet_png_file_to_digit("Tests/Fixtures/pngsuite/png/xcsn0g01.png", digit, 784), LENET_ERR_PNG_CORRUPT);
    CHECK_STATUS(lenet_png_file_to_digit("Tests/Fixtures/blank-white.png", digit, 784), LENET_ERR_NO_INK);
    CHECK_STATUS(lenet_png_file_to_digit("/nonexistent.png", digit, 784), LENET_ERR_IO);
    CHECK_STATUS(lenet_png_file_to_digit(tmp, digit, 784), LENET_ERR_IO);
    CHECK_STATUS(lenet_model_predict_png_file(NULL, samples[0], NULL, NULL, 0), LENET_ERR_INVALID_ARGUMENT);
}

/* Many files in one call, on 1 and 2 threads: each digit and status as the one-file call
 * gives it, in input order, a failed file's digit zeroed, the first failure returned. */
static void test_png_batch(void) {
    const char *files[] = {"samples/digit-7-mnist-gray8.png", "README.md", "samples/digit-2-paper-rgb8.png",
                           "/nonexistent.png", "samples/digit-1-scan-gray16.png", "Tests/Fixtures/blank-white.png",
                           "samples/digit-0-canvas-rgba8.png", "samples/digit-4-page-palette4.png"};
    enum { N = sizeof files / sizeof files[0] };
    static unsigned char one[N * 784], batch[N * 784];
    lenet_status single[N], statuses[N];
    for (int i = 0; i < N; i++) {
        single[i] = lenet_png_file_to_digit(files[i], one + 784 * i, 784);
        if (single[i] != LENET_OK) memset(one + 784 * i, 0, 784);
    }
    for (int threads = 1; threads <= 2; threads++) {
        CHECK_STATUS(lenet_set_num_threads(threads), LENET_OK);
        memset(batch, 0xAB, sizeof batch);
        CHECK_STATUS(lenet_png_files_to_digits(files, N, batch, sizeof batch, statuses), LENET_ERR_NOT_PNG);
        CHECK(strstr(lenet_last_error(), "README.md") != NULL, "the first failure's message names its file: %s", lenet_last_error());
        CHECK(memcmp(one, batch, sizeof one) == 0, "%d thread(s): the batch's digits differ from one file at a time", threads);
        for (int i = 0; i < N; i++) CHECK(statuses[i] == single[i], "%s: status %d, alone %d", files[i], statuses[i], single[i]);
    }
    CHECK_STATUS(lenet_set_num_threads(0), LENET_OK);
    const char *good[] = {files[0], files[2]};
    CHECK_STATUS(lenet_png_files_to_digits(good, 2, batch, 2 * 784, NULL), LENET_OK);
    CHECK_STATUS(lenet_png_files_to_digits(good, 2, batch, 2 * 784 - 1, NULL), LENET_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(lenet_png_files_to_digits(NULL, 2, batch, sizeof batch, NULL), LENET_ERR_INVALID_ARGUMENT);
    const char *with_null[] = {files[0], NULL};
    CHECK_STATUS(lenet_png_files_to_digits(with_null, 2, batch, sizeof batch, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_png_files_to_digits(good, 0, NULL, 0, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_png_files_to_digits(good, (size_t)-1 / 784 + 1, batch, sizeof batch, NULL), LENET_ERR_BUFFER_TOO_SMALL);
}

/* Your own pictures: a dataset from PNG files (the unreadable left out, each file's status
 * told), mixed with other digits at a share, split by seed, and a run that starts from a
 * trained model (init_model) rather than from random weights. */
static void test_own_pictures(const char *data_dir) {
    const char *files[] = {"samples/digit-7-mnist-gray8.png", "README.md", "samples/digit-2-paper-rgb8.png",
                           "samples/digit-1-scan-gray16.png", "samples/digit-0-canvas-rgba8.png", "samples/digit-4-page-palette4.png"};
    const uint8_t labels[] = {7, 3, 2, 1, 0, 4};
    enum { N = sizeof files / sizeof files[0] };
    lenet_status statuses[N];
    lenet_dataset *mine = NULL, *none = NULL;
    CHECK_STATUS(lenet_dataset_from_png_files(files, labels, N, &mine, statuses), LENET_OK);
    CHECK(lenet_dataset_count(mine) == N - 1 && statuses[1] == LENET_ERR_NOT_PNG && statuses[0] == LENET_OK,
          "%zu pictures read, README.md: status %d", lenet_dataset_count(mine), statuses[1]);
    const char *unreadable[] = {"README.md", "/nonexistent.png"};
    CHECK_STATUS(lenet_dataset_from_png_files(unreadable, labels, 2, &none, NULL), LENET_ERR_NOT_PNG);
    CHECK(none == NULL && strstr(lenet_last_error(), "README.md") != NULL, "no picture read: %s", lenet_last_error());
    const uint8_t twelve[] = {7, 12};
    CHECK_STATUS(lenet_dataset_from_png_files(files, twelve, 2, &none, NULL), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_dataset_from_png_files(files, labels, 0, &none, NULL), LENET_ERR_INVALID_ARGUMENT);

    char images[4096], idx_labels[4096];
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte.gz", data_dir);
    snprintf(idx_labels, sizeof idx_labels, "%s/t10k-labels-idx1-ubyte.gz", data_dir);
    lenet_dataset *test = NULL, *mixed = NULL, *train = NULL, *held = NULL;
    CHECK_STATUS(lenet_dataset_load_idx(images, idx_labels, &test), LENET_OK);
    CHECK_STATUS(lenet_dataset_mix(test, mine, 0.2, &mixed), LENET_OK);
    CHECK(lenet_dataset_count(mixed) == 12500, "10,000 digits with the pictures at a fifth: %zu", lenet_dataset_count(mixed));
    CHECK_STATUS(lenet_dataset_mix(test, mine, 1.0, &none), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_dataset_mix(test, mine, 0.9999999, &none), LENET_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(lenet_dataset_split(mixed, 0.2, 3, &train, &held), LENET_OK);
    CHECK(lenet_dataset_count(train) == 10000 && lenet_dataset_count(held) == 2500, "split %zu + %zu",
          lenet_dataset_count(train), lenet_dataset_count(held));
    CHECK_STATUS(lenet_dataset_split(mixed, 1.0, 3, &none, &none), LENET_ERR_INVALID_ARGUMENT);

    /* One epoch on a thousand digits from the test model's weights keeps it far ahead of
     * the same epoch from random ones; an int8 model cannot be a start. */
    lenet_dataset *few = NULL;
    static int32_t predicted[N_DIGITS];
    static uint8_t answers[N_DIGITS];
    CHECK_STATUS(lenet_model_predict(model, digits, N_DIGITS, predicted, N_DIGITS, NULL, 0, LENET_OUTPUT_LOGITS), LENET_OK);
    for (int i = 0; i < N_DIGITS; i++) answers[i] = (uint8_t)predicted[i];
    CHECK_STATUS(lenet_dataset_from_arrays(digits, answers, N_DIGITS, &few), LENET_OK);
    lenet_train_params params = lenet_train_default_params();
    CHECK(params.init_model == NULL, "no initial model by default");
    params.epochs = 1;
    params.augment = 0;
    params.pen_share = 0;
    params.init_model = model;
    lenet_model *tuned = NULL, *fresh = NULL, *int8 = NULL, *refused = NULL;
    CHECK_STATUS(lenet_train(&params, few, NULL, &tuned), LENET_OK);
    params.init_model = NULL;
    CHECK_STATUS(lenet_train(&params, few, NULL, &fresh), LENET_OK);
    size_t right_tuned = 0, right_fresh = 0;
    CHECK_STATUS(lenet_model_evaluate(tuned, held, &right_tuned, NULL, 0), LENET_OK);
    CHECK_STATUS(lenet_model_evaluate(fresh, held, &right_fresh, NULL, 0), LENET_OK);
    CHECK(right_tuned > 2000 && right_fresh < right_tuned, "tuned %zu, fresh %zu of 2,500", right_tuned, right_fresh);
    CHECK_STATUS(lenet_quantize(model, digits, 100, &int8), LENET_OK);
    params.init_model = int8;
    CHECK_STATUS(lenet_train(&params, few, NULL, &refused), LENET_ERR_INVALID_ARGUMENT);
    CHECK(refused == NULL && strstr(lenet_last_error(), "int8") != NULL, "int8 start: %s", lenet_last_error());
    lenet_model_free(tuned);
    lenet_model_free(fresh);
    lenet_model_free(int8);
    lenet_dataset_free(few);
    lenet_dataset_free(train);
    lenet_dataset_free(held);
    lenet_dataset_free(mixed);
    lenet_dataset_free(test);
    lenet_dataset_free(mine);
}

/* The loader reads PyTorch state_dicts and safetensors by content; save picks by extension. */
static void test_interop(const char *tmp) {
    const char *dir = "Tests/Fixtures/pytorch/";
    const char *files[] = {"lenet_seed.pth", "lenet_seed_deflated.pth", "lenet_seed_module_f64.pth", "lenet_seed.safetensors"};
    float inputs[4 * 1024], expected[40], got[40];
    char path[4096];
    size_t size = 0;
    snprintf(path, sizeof path, "%sinputs.f32", dir);
    unsigned char *bytes = read_file(path, &size);
    CHECK(bytes && size == sizeof inputs, "cannot read %s", path);
    if (!bytes) return;
    memcpy(inputs, bytes, sizeof inputs);
    free(bytes);
    snprintf(path, sizeof path, "%slogits.f32", dir);
    bytes = read_file(path, &size);
    CHECK(bytes && size == sizeof expected, "cannot read %s", path);
    if (!bytes) return;
    memcpy(expected, bytes, sizeof expected);
    free(bytes);
    for (int f = 0; f < 4; f++) {
        lenet_model *m = NULL;
        snprintf(path, sizeof path, "%s%s", dir, files[f]);
        CHECK_STATUS(lenet_model_load(path, &m), LENET_OK);
        if (!m) continue;
        CHECK_STATUS(lenet_model_predict_f32(m, inputs, 4, NULL, 0, got, 40, LENET_OUTPUT_LOGITS), LENET_OK);
        double worst = 0;
        for (int i = 0; i < 40; i++) worst = fmax(worst, fabs(got[i] - expected[i]));
        CHECK(worst < 1e-5, "%s: logits differ from PyTorch's by %g", files[f], worst);
        if (f == 0) {
            snprintf(path, sizeof path, "%s/exported.safetensors", tmp);
            CHECK_STATUS(lenet_model_save(m, path), LENET_OK);
            lenet_model *back = NULL;
            CHECK_STATUS(lenet_model_load(path, &back), LENET_OK);
            float again[40];
            CHECK_STATUS(lenet_model_predict_f32(back, inputs, 4, NULL, 0, again, 40, LENET_OUTPUT_LOGITS), LENET_OK);
            CHECK(memcmp(again, got, sizeof got) == 0, "safetensors round trip changed the logits");
            lenet_model_free(back);
        }
        lenet_model_free(m);
    }
    lenet_model *bad = NULL;
    snprintf(path, sizeof path, "%smalicious.pth", dir);
    CHECK_STATUS(lenet_model_load(path, &bad), LENET_ERR_FORMAT);
    CHECK(strstr(lenet_last_error(), "os.system") != NULL, "message: %s", lenet_last_error());
}

static int leak_loop(const char *model_path, int n) {
    size_t size = 0;
    unsigned char *bytes = read_file(model_path, &size);
    if (!bytes) return 1;
    for (int i = 0; i < n; i++) {
        lenet_model *m = NULL;
        if (lenet_model_load_from_memory(bytes, size, &m) != LENET_OK) return 1;
        lenet_model_free(m);
        if (i % 100 == 0) {
            if (lenet_model_load(model_path, &m) != LENET_OK) return 1;
            lenet_model_free(m);
            (void)lenet_model_load("/nonexistent", &m);
            /* An int8 model made, run and freed; a refused quantization. */
            static unsigned char calibration[16 * 784];
            lenet_model *q = NULL, *twice = NULL;
            if (lenet_model_load_from_memory(bytes, size, &m) != LENET_OK) return 1;
            if (lenet_quantize(m, calibration, 16, &q) != LENET_OK) return 1;
            int32_t label;
            if (lenet_model_predict(q, calibration, 1, &label, 1, NULL, 0, LENET_OUTPUT_LOGITS) != LENET_OK) return 1;
            (void)lenet_quantize(q, calibration, 16, &twice);
            lenet_model_free(q);
            lenet_model_free(m);
            /* libpng's success and failure paths: nothing may stay allocated. */
            unsigned char digit[784];
            (void)lenet_png_file_to_digit("samples/digit-4-page-palette4.png", digit, sizeof digit);
            (void)lenet_png_file_to_digit("Tests/Fixtures/pngsuite/png/xcsn0g01.png", digit, sizeof digit);
            (void)lenet_png_file_to_digit("Tests/Fixtures/pngsuite/png/xdtn0g01.png", digit, sizeof digit);
        }
    }
    free(bytes);
    printf("%d loads and frees (%d with an int8 model made from them)\n", n, n / 100);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--leak-loop") == 0) return leak_loop(argv[2], atoi(argv[3]));
    if (argc != 6) {
        fprintf(stderr, "usage: %s MODEL LOGITS DIGITS DATA_DIR TMP_DIR | --leak-loop MODEL N\n", argv[0]);
        return 2;
    }
    const char *model_path = argv[1], *data_dir = argv[4], *tmp = argv[5];
    size_t logits_size = 0, digits_size = 0;
    unsigned char *logits = read_file(argv[2], &logits_size);
    unsigned char *raw = read_file(argv[3], &digits_size);
    if (!logits || !raw || logits_size != sizeof swift_logits || digits_size != sizeof digits) {
        fprintf(stderr, "cannot read %s (%zu bytes) or %s (%zu bytes)\n", argv[2], logits_size, argv[3], digits_size);
        return 2;
    }
    memcpy(swift_logits, logits, sizeof swift_logits);
    memcpy(digits, raw, sizeof digits);
    free(logits);
    free(raw);

    test_version();
    test_load_errors(model_path, tmp);
    CHECK_STATUS(lenet_model_load(model_path, &model), LENET_OK);
    if (model) {
        test_info_and_metadata();
        test_predict();
        test_threads();
        test_datasets_and_training(data_dir, tmp);
        test_growing_structs(data_dir, tmp);
        test_png(tmp);
        test_png_batch();
        test_interop(tmp);
        test_quantize(data_dir, tmp);
        test_own_pictures(data_dir);
    }
    lenet_model_free(model);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
