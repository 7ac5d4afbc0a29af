/* classify: load a model, classify an MNIST-format IDX test set, print the accuracy.
 *
 *     classify MODEL.lenet [IMAGES.idx[.gz] LABELS.idx[.gz]]
 */
#include <lenet.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: %s MODEL.lenet [IMAGES.idx[.gz] LABELS.idx[.gz]]\n", argv[0]);
        return 2;
    }
    if (lenet_check_version(LENET_VERSION_MAJOR, LENET_VERSION_MINOR, LENET_VERSION_PATCH) != LENET_OK) {
        fprintf(stderr, "classify: %s\n", lenet_last_error());
        return 1;
    }
    const char *images = argc == 4 ? argv[2] : "data/mnist/t10k-images-idx3-ubyte.gz";
    const char *labels = argc == 4 ? argv[3] : "data/mnist/t10k-labels-idx1-ubyte.gz";

    lenet_model *model = NULL;
    lenet_dataset *test = NULL;
    lenet_status s = lenet_model_load(argv[1], &model);
    if (s == LENET_OK) s = lenet_dataset_load_idx(images, labels, &test);
    size_t correct = 0;
    int64_t confusion[100];
    if (s == LENET_OK) s = lenet_model_evaluate(model, test, &correct, confusion, 100);
    if (s != LENET_OK) {
        fprintf(stderr, "classify: %s: %s\n", lenet_status_string(s), lenet_last_error());
        lenet_dataset_free(test);
        lenet_model_free(model);
        return 1;
    }
    size_t n = lenet_dataset_count(test);
    printf("lenet %s, %d threads: %zu of %zu correct (%.2f%%)\n", lenet_version_string(), lenet_get_num_threads(),
           correct, n, 100.0 * (double)correct / (double)n);
    for (int digit = 0; digit < 10; digit++) {
        int64_t total = 0;
        for (int p = 0; p < 10; p++) total += confusion[digit * 10 + p];
        printf("  digit %d: %5.2f%% of %lld\n", digit, total ? 100.0 * (double)confusion[digit * 11] / (double)total : 0.0,
               (long long)total);
    }
    lenet_dataset_free(test);
    lenet_model_free(model);
    return 0;
}
