/* train: train LeNet-5 through the C API with a progress line per epoch, save the model.
 *
 *     train DATA_DIR OUTPUT.lenet [EPOCHS]
 */
#include <lenet.h>
#include <stdio.h>
#include <stdlib.h>

static int on_progress(const lenet_progress *p, void *user_data) {
    (void)user_data;
    if (p->epoch_done)
        printf("epoch %d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.1fs\n", p->epoch, p->epochs, p->loss,
               100 * p->accuracy, 100 * p->test_accuracy, p->seconds);
    return 0; /* nonzero would stop training */
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s DATA_DIR OUTPUT.lenet [EPOCHS]\n", argv[0]);
        return 2;
    }
    char images[4096], labels[4096], test_images[4096], test_labels[4096];
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte.gz", argv[1]);
    snprintf(labels, sizeof labels, "%s/train-labels-idx1-ubyte.gz", argv[1]);
    snprintf(test_images, sizeof test_images, "%s/t10k-images-idx3-ubyte.gz", argv[1]);
    snprintf(test_labels, sizeof test_labels, "%s/t10k-labels-idx1-ubyte.gz", argv[1]);

    lenet_dataset *train = NULL, *test = NULL;
    lenet_model *model = NULL;
    lenet_train_params params = lenet_train_default_params();
    if (argc == 4) params.epochs = atoi(argv[3]);
    params.progress = on_progress;

    lenet_status s = lenet_dataset_load_idx(images, labels, &train);
    if (s == LENET_OK) s = lenet_dataset_load_idx(test_images, test_labels, &test);
    if (s == LENET_OK) s = lenet_train(&params, train, test, &model);
    if (s == LENET_OK) s = lenet_model_save(model, argv[2]);
    if (s != LENET_OK) fprintf(stderr, "train: %s: %s\n", lenet_status_string(s), lenet_last_error());
    lenet_model_free(model);
    lenet_dataset_free(test);
    lenet_dataset_free(train);
    return s == LENET_OK ? 0 : 1;
}
