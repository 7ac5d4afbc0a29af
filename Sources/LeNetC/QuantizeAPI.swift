import CLeNetTypes
import LeNetCore

/// Makes an int8 model from a float one (post-training static quantization): runs `model`
/// on `count` calibration digits (28x28 u8, MNIST-style, count * 784 bytes; about 1,000
/// training images is plenty) to find each activation's range, then quantizes weights per
/// output channel (symmetric, 7 bits since 0.5: -63...63, which AVX2 CPUs without VNNI
/// multiply twice as fast and every CPU answers alike; `lenet quantize --weight-bits 8`
/// makes 8-bit ones) and activations per tensor (uint8). On success
/// `*out_model` holds the new model (dtype LENET_DTYPE_INT8 in lenet_model_get_info; the
/// same predict functions run it on integer kernels; lenet_model_save writes it as
/// `.lenet` only), which the caller releases with lenet_model_free; on failure NULL.
/// Returns LENET_ERR_INVALID_ARGUMENT (NULL arguments, zero images, or a model that is
/// already int8). Thread-safe; `model` is unchanged.
@_cdecl("lenet_quantize")
public func lenet_quantize(
    _ model: lenet_model_const_ptr, _ images: UnsafePointer<UInt8>?, _ count: Int, _ out_model: UnsafeMutablePointer<lenet_model_ptr>?
) -> lenet_status {
    out_model?.pointee = nil
    return withStatus {
        let box = try ModelBox.from(model), pixels = try required(images, "images"), out = try required(out_model, "out_model")
        guard count > 0, count <= maxImagesPerCall else { throw LeNetError.invalidArgument("count \(cSize(count)) is not in 1...\(maxImagesPerCall)") }
        let int8 = try box.model.quantized(calibration: UnsafeBufferPointer(start: pixels, count: count * DigitSet.pixels))
        out.pointee = try ModelBox(int8).retainedHandle()
    }
}
