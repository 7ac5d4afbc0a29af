/* The C types of the lenet ABI: status codes, enums, the structs passed by value or
 * pointer, and the progress callback. LeNetC (Swift) imports this file; the header
 * generator copies the part between the BEGIN/END markers into include/lenet.h. */
#ifndef LENET_TYPES_H
#define LENET_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* BEGIN LENET TYPES */
/** Result of every fallible function. 0 is success; values are append-only. Each comment
 * starts with the name lenet_status_string gives, in quotes. */
typedef enum lenet_status {
    /** "success": the call did what it was asked. */
    LENET_OK = 0,
    /** "invalid argument": An argument is NULL where it may not be, out of range, or inconsistent. */
    LENET_ERR_INVALID_ARGUMENT = 1,
    /** "I/O error": A file could not be opened, read or written (missing, a directory, permissions). */
    LENET_ERR_IO = 2,
    /** "malformed model file": A model file or buffer is malformed: bad magic, version, checksum, length, shape. */
    LENET_ERR_FORMAT = 3,
    /** "malformed dataset": A dataset (IDX) file or array is malformed or inconsistent. */
    LENET_ERR_DATASET = 4,
    /** "buffer too small": An output buffer is smaller than the result; nothing was written. */
    LENET_ERR_BUFFER_TOO_SMALL = 5,
    /** "cancelled": The progress callback asked to stop. */
    LENET_ERR_CANCELLED = 6,
    /** "version mismatch": The header the caller compiled against does not match this library. */
    LENET_ERR_VERSION = 7,
    /** "not found": A metadata key is not present in the model. */
    LENET_ERR_NOT_FOUND = 8,
    /** "internal error": A failure inside the library that no input should cause; please report it. */
    LENET_ERR_INTERNAL = 9,
    /** "not a PNG": The bytes are not a PNG (no PNG signature). */
    LENET_ERR_NOT_PNG = 10,
    /** "truncated PNG": The PNG data ends before the image does. */
    LENET_ERR_PNG_TRUNCATED = 11,
    /** "corrupt PNG": The PNG is damaged: a CRC or zlib error, or an invalid header field. */
    LENET_ERR_PNG_CORRUPT = 12,
    /** "image too large": The image's width, height or pixel count exceeds the limits (lenet_set_image_limits). */
    LENET_ERR_IMAGE_TOO_LARGE = 13,
    /** "no ink": Nothing on the image stands out from the background: there is no digit to read. */
    LENET_ERR_NO_INK = 14
} lenet_status;

/** Element type of a model's weights. */
typedef enum lenet_dtype {
    LENET_DTYPE_F32 = 0,
    LENET_DTYPE_INT8 = 1
} lenet_dtype;

/** What the predict functions write per image into `scores`. */
typedef enum lenet_output {
    /** Softmax probabilities, 10 per image, summing to 1. */
    LENET_OUTPUT_PROBABILITIES = 0,
    /** Raw logits, 10 per image. */
    LENET_OUTPUT_LOGITS = 1
} lenet_output;

/** The layout of raw pixels handed to lenet_image_to_digit and lenet_model_predict_image.
 * Rows run top to bottom, pixels left to right; 16-bit samples are in the machine's byte
 * order (what a uint16_t array holds). Colour becomes grey by ITU-R BT.601 luma (as PIL's
 * convert("L") and OpenCV's RGB2GRAY); alpha is composited over white. */
typedef enum lenet_pixel_format {
    /** 1 byte a pixel: grey (PIL "L", a grey OpenCV Mat). */
    LENET_PIXEL_GRAY8 = 0,
    /** 2 bytes: 16-bit grey (PIL "I;16", scanners, PNG 16-bit). */
    LENET_PIXEL_GRAY16 = 1,
    /** 3 bytes: red, green, blue (PIL "RGB"). */
    LENET_PIXEL_RGB8 = 2,
    /** 4 bytes: red, green, blue, alpha (HTML canvas ImageData, PIL "RGBA"). */
    LENET_PIXEL_RGBA8 = 3,
    /** 4 bytes: blue, green, red, alpha (OpenCV BGRA, Cairo / Windows / many camera APIs). */
    LENET_PIXEL_BGRA8 = 4,
    /** 3 bytes: blue, green, red (OpenCV's default colour order). */
    LENET_PIXEL_BGR8 = 5,
    /** 2 bytes: grey, alpha (PIL "LA"). */
    LENET_PIXEL_GRAYA8 = 6,
    /** 4 bytes: 16-bit grey, 16-bit alpha. */
    LENET_PIXEL_GRAYA16 = 7
} lenet_pixel_format;

/** One digit of a number read by lenet_model_read_png or lenet_model_read_image. */
typedef struct lenet_read_digit {
    /** The digit, 0 to 9. */
    int32_t label;
    /** Softmax probabilities of the ten classes. */
    float probabilities[10];
    /** The box of its strokes in the picture: pixels from the left and top edges, and size. */
    size_t x, y, width, height;
} lenet_read_digit;

/** One number of a page read by lenet_model_read_numbers_png (a form's field): its digits
 * are `digits[first_digit]` to `digits[first_digit + digit_count - 1]` of the digit array
 * the same call filled. */
typedef struct lenet_read_number {
    /** Where its digits start in the call's digit array, and how many it has. */
    size_t first_digit, digit_count;
    /** The box around its digits: pixels from the left and top edges, and size. */
    size_t x, y, width, height;
} lenet_read_number;

/** A model file's format, for lenet_model_save_to_memory. */
typedef enum lenet_model_format {
    /** The library's checkpoint: float or int8, with metadata and training state. */
    LENET_FORMAT_LENET = 0,
    /** A PyTorch state_dict (torch.load reads it), float models only. */
    LENET_FORMAT_PYTORCH = 1,
    /** safetensors (parameters and metadata), float models only. */
    LENET_FORMAT_SAFETENSORS = 2
} lenet_model_format;

typedef enum lenet_optimizer {
    LENET_OPTIMIZER_ADAM = 0,
    /** Stochastic gradient descent with momentum. */
    LENET_OPTIMIZER_SGD = 1
} lenet_optimizer;

typedef enum lenet_lr_schedule {
    /** Cosine annealing from the learning rate to 0 over all epochs (the default). */
    LENET_LR_COSINE = 0,
    LENET_LR_CONSTANT = 1
} lenet_lr_schedule;

/** A loaded model: immutable, shareable across threads. */
typedef struct lenet_model lenet_model;
/** Digits with labels for training or evaluation. */
typedef struct lenet_dataset lenet_dataset;

/** Facts about a model, filled by lenet_model_get_info. */
typedef struct lenet_model_info {
    /** Set by the caller to sizeof(lenet_model_info) of its header; the library writes only
     * the fields that fit in that size, so the struct can grow. */
    size_t struct_size;
    lenet_dtype dtype;
    /** Number of weights and biases (61706 for LeNet-5). */
    size_t parameter_count;
    uint32_t format_version_major;
    uint32_t format_version_minor;
    /** 1 when the file carries optimizer state, so training can resume from it. */
    int32_t has_training_state;
    /** Completed training epochs (0 without training state). */
    int32_t epochs_completed;
    /** Number of metadata entries (see lenet_model_get_metadata_key). */
    size_t metadata_count;
} lenet_model_info;

/** Where a training run stands; passed to the progress callback. The library owns it and
 * only ever appends fields, so a callback reads the fields its header declares. */
typedef struct lenet_progress {
    /** 1-based epoch and batch. */
    int32_t epoch, epochs;
    int32_t batch, batches;
    /** Images seen this epoch, and the mean loss over them and the accuracy over their
     * digits (the touching pairs of pair_share have no right answer). */
    int64_t images;
    double loss;
    double accuracy;
    /** 1 on the call after an epoch ends, else 0. */
    int32_t epoch_done;
    /** With epoch_done: accuracy on the test set, or -1 when none was given. */
    double test_accuracy;
    /** Seconds since this epoch started. */
    double seconds;
    /** Since 0.4: the learning rate of this batch's optimizer step; with epoch_done, that of
     * the epoch's first step. */
    double learning_rate;
} lenet_progress;

/** Called after every batch and after every epoch; return nonzero to stop training. */
typedef int (*lenet_progress_fn)(const lenet_progress *progress, void *user_data);

/** Options of lenet_train; start from lenet_train_default_params(). */
typedef struct lenet_train_params {
    /** sizeof(lenet_train_params) of the caller's header, set by lenet_train_default_params;
     * any size from version 0.2's (up to `user_data`) to this one's is accepted, and the
     * fields a smaller struct lacks take their defaults. */
    size_t struct_size;
    int32_t epochs;
    int32_t batch_size;
    float learning_rate;
    lenet_optimizer optimizer;
    /** SGD momentum. */
    float momentum;
    lenet_lr_schedule lr_schedule;
    uint64_t seed;
    /** Nonzero: random shifts and rotations of training digits, 15% of them drawn bold (default since 0.5: 1). */
    int32_t augment;
    /** Worker threads; 0 = the library's setting (lenet_set_num_threads). */
    int32_t threads;
    /** Optional; NULL for none. */
    lenet_progress_fn progress;
    void *user_data;
    /** Since 0.3. Optional: when not NULL, after every epoch the model (with its training
     * state) is saved to this path atomically, as `lenet train` does, so a run that is
     * stopped or crashes keeps its last epoch; a failed save stops training with its
     * status. NULL (the default) saves nothing. */
    const char *checkpoint_path;
    /** Since 0.5: digits written by lenet's handwriting model added to the training set,
     * as a share of it (default 0.2; 0: none; at most 10): letterforms and hands MNIST's
     * writers rarely show, and a quarter of them print's forms traced with a broad pen
     * (so that a bold 4 or 8 reads as one digit), drawn from `seed`. A struct from before
     * 0.5 gets the default. */
    float pen_share;
    /** Since 0.5. Optional: a trained float model to start from instead of random weights
     * (fine-tuning: fewer epochs suit it, e.g. 3; lenet_dataset_mix keeps MNIST beside your
     * pictures). Its weights are copied; the model stays the caller's. An int8 model is
     * refused. NULL (the default) starts from random weights. lenet_train_resume ignores it. */
    const lenet_model *init_model;
    /** Since 0.6: pictures of two touching digits written by lenet's handwriting model,
     * taught as no single digit (the uniform answer), and as many digits cut out of such
     * pairs as lenet_model_read_png cuts them, taught as their digits; as a share of the
     * training set (default 0.1; 0: none; at most 10): a model unsure of an uncut pair
     * and sure of a cut digit lets lenet_model_read_png cut touching digits apart. A
     * struct from before 0.6 gets the default. */
    float pair_share;
} lenet_train_params;
/* END LENET TYPES */

/* Internal state of LeNetC, hidden from the library's exports: this thread's last error
 * message, and the process-wide thread and image-size settings. */
__attribute__((visibility("hidden"))) void lenetc_set_error(const char *message);
__attribute__((visibility("hidden"))) const char *lenetc_get_error(void);
__attribute__((visibility("hidden"))) void lenetc_set_threads(int32_t threads);
__attribute__((visibility("hidden"))) int32_t lenetc_get_threads(void);
__attribute__((visibility("hidden"))) void lenetc_set_image_limits(size_t width, size_t height, size_t pixels);
__attribute__((visibility("hidden"))) void lenetc_get_image_limits(size_t *width, size_t *height, size_t *pixels);
__attribute__((visibility("hidden"))) void lenetc_set_load_limit(ptrdiff_t bytes);
__attribute__((visibility("hidden"))) ptrdiff_t lenetc_get_load_limit(void);

#endif
