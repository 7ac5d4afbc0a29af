import CLeNetTypes
import LeNetCore

/// Loads digits and labels from an IDX images file (N x 28 x 28 bytes) and an IDX labels
/// file (N bytes), each optionally gzip-compressed, as MNIST distributes them. On success
/// `*out_dataset` holds a new dataset for lenet_dataset_free; on failure NULL.
/// Returns LENET_ERR_INVALID_ARGUMENT, LENET_ERR_IO or LENET_ERR_DATASET (malformed file,
/// counts that disagree, a label above 9).
@_cdecl("lenet_dataset_load_idx")
public func lenet_dataset_load_idx(
    _ images_path: UnsafePointer<CChar>?, _ labels_path: UnsafePointer<CChar>?,
    _ out_dataset: UnsafeMutablePointer<lenet_dataset_ptr>?
) -> lenet_status {
    out_dataset?.pointee = nil
    return withStatus {
        let out = try required(out_dataset, "out_dataset")
        let data = try DigitSet(imagesPath: string(images_path, "images_path"), labelsPath: string(labels_path, "labels_path"))
        out.pointee = DatasetBox(data).retainedHandle()
    }
}

/// Makes a dataset from `count` 28x28 digits (count * 784 bytes, 0 = background) and their
/// `count` labels (0-9). Both arrays are copied. Returns LENET_ERR_INVALID_ARGUMENT for
/// NULL arrays, zero images, or a label above 9.
@_cdecl("lenet_dataset_from_arrays")
public func lenet_dataset_from_arrays(
    _ images: UnsafePointer<UInt8>?, _ labels: UnsafePointer<UInt8>?, _ count: Int,
    _ out_dataset: UnsafeMutablePointer<lenet_dataset_ptr>?
) -> lenet_status {
    out_dataset?.pointee = nil
    return withStatus {
        let out = try required(out_dataset, "out_dataset")
        let pixels = try required(images, "images"), digits = try required(labels, "labels")
        guard count > 0, count <= maxImagesPerCall else { throw LeNetError.invalidArgument("count \(cSize(count)) must be 1 to \(maxImagesPerCall)") }
        let data = try DigitSet(images: Array(UnsafeBufferPointer(start: pixels, count: count * DigitSet.pixels)),
                                labels: Array(UnsafeBufferPointer(start: digits, count: count)))
        out.pointee = DatasetBox(data).retainedHandle()
    }
}

/// The number of digits in a dataset (0 for NULL).
@_cdecl("lenet_dataset_count")
public func lenet_dataset_count(_ dataset: lenet_dataset_const_ptr) -> Int {
    (try? DatasetBox.from(dataset).data.count) ?? 0
}

/// Releases a dataset. NULL is allowed and does nothing.
@_cdecl("lenet_dataset_free")
public func lenet_dataset_free(_ dataset: lenet_dataset_ptr) {
    guard let dataset else { return }
    Unmanaged<DatasetBox>.fromOpaque(UnsafeRawPointer(dataset)).release()
}

/// Classifies every digit of `dataset` and counts the correct ones into `*out_correct`.
/// When `confusion` is not NULL it must hold `confusion_count` >= 100 elements and
/// receives the 10x10 confusion matrix (row = true digit, column = prediction).
/// Returns LENET_ERR_INVALID_ARGUMENT or LENET_ERR_BUFFER_TOO_SMALL. Thread-safe.
@_cdecl("lenet_model_evaluate")
public func lenet_model_evaluate(
    _ model: lenet_model_const_ptr, _ dataset: lenet_dataset_const_ptr, _ out_correct: UnsafeMutablePointer<Int>?,
    _ confusion: UnsafeMutablePointer<Int64>?, _ confusion_count: Int
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model), data = try DatasetBox.from(dataset).data
        let correctOut = try required(out_correct, "out_correct")
        if confusion != nil, confusion_count < 100 { throw BoundaryError.tooSmall("confusion", need: 100, have: confusion_count) }
        let matrix = box.predictor.evaluate(data, threads: threadCount())
        if let confusion {
            for (t, row) in matrix.counts.enumerated() { for (p, n) in row.enumerated() { confusion[t * 10 + p] = Int64(n) } }
        }
        correctOut.pointee = matrix.correct
    }
}
