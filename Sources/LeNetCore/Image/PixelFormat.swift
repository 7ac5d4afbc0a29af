/// How the pixels of a decoded image are laid out in memory: what canvases (RGBA), PIL
/// (L, LA, RGB, RGBA, I;16), OpenCV (BGR, BGRA) and scanners (16-bit grey) hand out.
/// 16-bit samples are in the machine's byte order. Raw values are the C enum's.
public enum PixelFormat: Int, Sendable, CaseIterable {
    case gray8 = 0
    case gray16 = 1
    case rgb8 = 2
    case rgba8 = 3
    case bgra8 = 4
    case bgr8 = 5
    case grayAlpha8 = 6
    case grayAlpha16 = 7

    public var bytesPerPixel: Int {
        switch self {
        case .gray8: return 1
        case .gray16, .grayAlpha8: return 2
        case .rgb8, .bgr8: return 3
        case .rgba8, .bgra8, .grayAlpha16: return 4
        }
    }

    public var name: String {
        switch self {
        case .gray8: return "GRAY8"
        case .gray16: return "GRAY16"
        case .rgb8: return "RGB8"
        case .rgba8: return "RGBA8"
        case .bgra8: return "BGRA8"
        case .bgr8: return "BGR8"
        case .grayAlpha8: return "GRAYA8"
        case .grayAlpha16: return "GRAYA16"
        }
    }
}
