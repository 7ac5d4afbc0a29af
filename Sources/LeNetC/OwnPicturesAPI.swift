import CLeNetTypes
import LeNetCore

/// A dataset of your own labelled pictures: `count` PNG files (`paths`) with their labels
/// (0-9), each read as lenet_png_file_to_digit reads it, on the library's threads. A file
/// that cannot be read is left out; `statuses` (NULL, or `count` entries) tells each file's
/// status. On success (at least one file read) `*out_dataset` holds the digits of the files
/// read, in order, for lenet_dataset_free. Returns LENET_ERR_INVALID_ARGUMENT (NULL
/// arguments, zero files, a label above 9), or, when no file could be read, the first
/// file's status with its message (naming the file).
@_cdecl("lenet_dataset_from_png_files")
public func lenet_dataset_from_png_files(
    _ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ labels: UnsafePointer<UInt8>?, _ count: Int,
    _ out_dataset: UnsafeMutablePointer<lenet_dataset_ptr>?, _ statuses: UnsafeMutablePointer<lenet_status>?
) -> lenet_status {
    out_dataset?.pointee = nil
    return withStatus {
        let out = try required(out_dataset, "out_dataset")
        let given = try required(labels, "labels")
        guard count > 0, count <= maxImagesPerCall else { throw LeNetError.invalidArgument("count \(cSize(count)) must be 1 to \(maxImagesPerCall)") }
        if let i = (0..<count).first(where: { given[$0] > 9 }) { throw LeNetError.invalidArgument("label \(given[i]) of file \(i) is not a digit 0-9") }
        let names = try pathList(paths, count)
        var images = [UInt8](), kept = [UInt8](), firstError: (any Error)?
        for (i, result) in DigitBatch.fromPNGFiles(names, limits: imageLimits(), threads: threadCount()).enumerated() {
            switch result {
            case .success(let digit):
                images += digit
                kept.append(given[i])
                statuses?[i] = LENET_OK
            case .failure(let error):
                statuses?[i] = status(ofAny: error)
                if firstError == nil { firstError = error }
            }
        }
        if kept.isEmpty, let firstError { throw firstError }
        out.pointee = DatasetBox(try DigitSet(images: images, labels: kept)).retainedHandle()
    }
}

/// A new dataset of `base` followed by `pictures` repeated so that they make `share` of it
/// (0 < share < 1; each picture at least once): a few hundred of your pictures beside
/// MNIST's 60,000 without drowning in them. Returns LENET_ERR_INVALID_ARGUMENT (also for
/// a mix above 2,000,000 digits).
@_cdecl("lenet_dataset_mix")
public func lenet_dataset_mix(
    _ base: lenet_dataset_const_ptr, _ pictures: lenet_dataset_const_ptr, _ share: Double, _ out_dataset: UnsafeMutablePointer<lenet_dataset_ptr>?
) -> lenet_status {
    out_dataset?.pointee = nil
    return withStatus {
        let out = try required(out_dataset, "out_dataset")
        let a = try DatasetBox.from(base, "base").data, b = try DatasetBox.from(pictures, "pictures").data
        out.pointee = DatasetBox(try a.mixing(b, share: share)).retainedHandle()
    }
}

/// Splits `dataset` into the digits to train on and `held_back` of them (0 <= held_back
/// < 1) to measure on, drawn from `seed` as `lenet train --validation` draws them; both in
/// the dataset's order, for lenet_dataset_free. Returns LENET_ERR_INVALID_ARGUMENT.
@_cdecl("lenet_dataset_split")
public func lenet_dataset_split(
    _ dataset: lenet_dataset_const_ptr, _ held_back: Double, _ seed: UInt64, _ out_train: UnsafeMutablePointer<lenet_dataset_ptr>?,
    _ out_held_back: UnsafeMutablePointer<lenet_dataset_ptr>?
) -> lenet_status {
    out_train?.pointee = nil
    out_held_back?.pointee = nil
    return withStatus {
        let train = try required(out_train, "out_train"), held = try required(out_held_back, "out_held_back")
        let (a, b) = try DatasetBox.from(dataset, "dataset").data.heldBack(held_back, seed: seed)
        train.pointee = DatasetBox(a).retainedHandle()
        held.pointee = DatasetBox(b).retainedHandle()
    }
}
