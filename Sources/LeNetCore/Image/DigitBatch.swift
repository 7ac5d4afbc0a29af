/// Many pictures at once, on every core: the pictures are spread over the worker pool, one
/// task a picture (their sizes differ, so workers take the next as they free up), and each
/// is read and preprocessed as DigitImage does it alone. The answers come in input order,
/// each with its own success or error, and do not depend on the thread count: a task
/// writes only its own slot.
public enum DigitBatch {
    /// The digits of PNG files (DigitImage.fromPNGFile, each).
    public static func fromPNGFiles(_ paths: [String], limits: ImageLimits = .default,
                                    threads: Int = Threads.defaultCount) -> [Result<[UInt8], any Error>] {
        map(paths.count, threads: threads) { try DigitImage.fromPNGFile(paths[$0], limits: limits) }
    }

    /// The digits of PNG files' bytes (DigitImage.fromPNG, each).
    public static func fromPNGs(_ pngs: [[UInt8]], limits: ImageLimits = .default,
                                threads: Int = Threads.defaultCount) -> [Result<[UInt8], any Error>] {
        map(pngs.count, threads: threads) { try DigitImage.fromPNG(pngs[$0], limits: limits) }
    }

    /// `body(i)` for i in 0..<count on up to `threads` workers, each result in its slot.
    public static func map<T>(_ count: Int, threads: Int, _ body: (Int) throws -> T) -> [Result<T, any Error>] {
        var slots = [Result<T, any Error>?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { out in
            parallelFor(tasks: count, threads: threads) { i in out[i] = Result { try body(i) } }
        }
        return slots.map { $0! }
    }
}
