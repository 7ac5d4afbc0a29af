import LeNetKernelAPI

/// A set of 28x28 grey digits with labels, as MNIST stores them (0 = background, 255 = ink).
public struct DigitSet: Sendable {
    public static let side = 28
    public static let pixels = side * side

    /// `count` x 784 bytes, row-major.
    public var images: [UInt8]
    public var labels: [UInt8]
    public var count: Int { labels.count }

    public init(images: [UInt8], labels: [UInt8]) throws {
        guard images.count == labels.count * Self.pixels else {
            throw LeNetError.invalidArgument("\(images.count) image bytes do not hold \(labels.count) images of 28x28")
        }
        if let bad = labels.first(where: { $0 > 9 }) {
            throw LeNetError.invalidArgument("label \(bad) is not a digit 0-9")
        }
        self.images = images
        self.labels = labels
    }

    /// Pictures that are no single digit, labelled `TrainingLabel.noDigit`: what training
    /// teaches the uniform answer. Only the library makes them; the public initialisers
    /// refuse labels above 9.
    package static func noDigits(images: [UInt8]) -> DigitSet {
        precondition(images.count % pixels == 0, "whole 28x28 pictures")
        return DigitSet(unchecked: images, labels: [UInt8](repeating: TrainingLabel.noDigit, count: images.count / pixels))
    }

    private init(unchecked images: [UInt8], labels: [UInt8]) {
        self.images = images
        self.labels = labels
    }

    /// Reads an images IDX and a labels IDX (either may be gzip-compressed) and checks they
    /// agree on the count.
    public init(imagesPath: String, labelsPath: String) throws {
        let images = try IDXArray.load(imagesPath)
        let labels = try IDXArray.load(labelsPath)
        guard images.dimensions.count == 3, images.dimensions[1] == 28, images.dimensions[2] == 28 else {
            throw LeNetError.dataset("\(imagesPath): images must be N x 28 x 28, found \(images.dimensions)")
        }
        guard labels.dimensions.count == 1 else {
            throw LeNetError.dataset("\(labelsPath): labels must be one-dimensional, found \(labels.dimensions)")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw LeNetError.dataset("\(imagesPath) holds \(images.dimensions[0]) images but \(labelsPath) holds \(labels.dimensions[0]) labels")
        }
        if let bad = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw LeNetError.dataset("\(labelsPath): label \(labels.bytes[bad]) at index \(bad) is not a digit 0-9")
        }
        self.images = images.bytes
        self.labels = labels.bytes
    }

    /// MNIST's training or test split from a directory holding the standard file names,
    /// gzip-compressed or not.
    public static func mnist(directory: String, split: Split) throws -> DigitSet {
        let prefix = split == .train ? "train" : "t10k"
        func find(_ stem: String) throws -> String {
            for name in ["\(directory)/\(stem).gz", "\(directory)/\(stem)"] where FileIO.exists(name) { return name }
            throw LeNetError.io("cannot find \(directory)/\(stem)(.gz): is --data the MNIST directory?")
        }
        return try DigitSet(imagesPath: find("\(prefix)-images-idx3-ubyte"), labelsPath: find("\(prefix)-labels-idx1-ubyte"))
    }

    public enum Split: Sendable { case train, test }

    /// This set followed by `other`.
    package func appending(_ other: DigitSet) -> DigitSet {
        var s = self
        s.images += other.images
        s.labels += other.labels
        return s
    }

    /// The first `n` digits (all of them when `n` is nil or larger).
    public func prefix(_ n: Int?) -> DigitSet {
        guard let n, n < count else { return self }
        let k = max(0, n)
        // The slice keeps the invariants, so the checked initialiser is not needed.
        var s = self
        s.images = Array(images[0..<(k * Self.pixels)])
        s.labels = Array(labels[0..<k])
        return s
    }
}
