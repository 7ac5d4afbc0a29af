/// An 8-bit grey image, row-major, 0 = black.
public struct GrayImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }
}

/// Bounds on the images accepted, checked from the PNG header before anything is decoded,
/// so a small file declaring a huge image (a decompression bomb) is refused cheaply.
public struct ImageLimits: Sendable, Equatable {
    public var maxWidth: Int
    public var maxHeight: Int
    public var maxPixels: Int

    public init(maxWidth: Int = 8192, maxHeight: Int = 8192, maxPixels: Int = 32 << 20) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
    }

    public static let `default` = ImageLimits()
}
