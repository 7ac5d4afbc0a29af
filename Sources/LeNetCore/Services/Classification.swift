/// One digit's answer: the most probable label and the ten probabilities (softmax of the
/// logits).
public struct Classification: Sendable, Equatable {
    public var label: Int
    public var probabilities: [Float]
}

extension Predictor {
    /// Classifies 28x28 u8 MNIST-style digits, 784 bytes each, one answer per digit. The
    /// CLI and the C ABI classify PNGs through here too.
    public func classify(digits: [UInt8], threads: Int = Threads.defaultCount) -> [Classification] {
        classify(logits: digits.withUnsafeBufferPointer { logits(digits: $0, threads: threads) })
    }

    /// The answers for logits already computed (images x 10), for callers that keep the
    /// logits too.
    public func classify(logits z: [Float]) -> [Classification] {
        let classes = LeNet5.classes
        var p = [Float](repeating: 0, count: z.count)
        z.withUnsafeBufferPointer { zp in
            p.withUnsafeMutableBufferPointer { pp in
                for i in 0..<(z.count / classes) {
                    Kernels.softmax(classes, zp.baseAddress! + i * classes, pp.baseAddress! + i * classes)
                }
            }
        }
        // The label from the logits, as every other prediction path takes it.
        return z.withUnsafeBufferPointer { zp in
            (0..<(z.count / classes)).map { i in
                Classification(label: LeNet5.argmax(zp.baseAddress! + i * classes, classes),
                               probabilities: Array(p[(i * classes)..<((i + 1) * classes)]))
            }
        }
    }

    /// The digit on a PNG (its bytes), read with MNIST's preprocessing (DigitImage.fromPNG).
    public func classify(png: [UInt8], limits: ImageLimits = .default) throws -> Classification {
        classify(digits: try DigitImage.fromPNG(png, limits: limits), threads: 1)[0]
    }

    /// The digit on the PNG file at `path`.
    public func classify(pngFile path: String, limits: ImageLimits = .default) throws -> Classification {
        classify(digits: try DigitImage.fromPNGFile(path, limits: limits), threads: 1)[0]
    }

    /// The digit on raw pixels (DigitImage.fromPixels).
    public func classify(
        pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int = 0, format: PixelFormat,
        limits: ImageLimits = .default
    ) throws -> Classification {
        classify(digits: try DigitImage.fromPixels(pixels, width: width, height: height, stride: stride, format: format,
                                                   limits: limits), threads: 1)[0]
    }
}
