import LeNetKernelAPI

extension Kernels {
    /// Unrolls `channels` x H x W into the (channels*kh*kw) x (OH*OW) matrix a valid,
    /// stride-1 convolution multiplies by its weights (row order c, ky, kx as PyTorch's
    /// weight layout). Pure data movement: each output row is OH runs of OW contiguous floats.
    @inline(__always)
    static func im2colShaped(
        channels: Int, height: Int, width: Int, kernel: Int,
        _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>
    ) {
        let oh = height - kernel + 1, ow = width - kernel + 1
        var row = col
        for c in 0..<channels {
            let plane = x + c * height * width
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    for oy in 0..<oh {
                        copyShort(ow, row + oy * ow, plane + (oy + ky) * width + kx)
                    }
                    row += oh * ow
                }
            }
        }
    }

    // The public entries hand LeNet-5's own shapes to the inlined bodies as constants, so
    // each is compiled with its loop bounds known (unrolled short rows); other shapes take
    // the general path. Called through `KernelProvider`, nothing would be specialised.
    @inline(__always)
    static func convShape(_ c: Int, _ h: Int, _ w: Int, _ k: Int, _ body: (Int, Int, Int, Int) -> Void) {
        if c == 6 && h == 14 && w == 14 && k == 5 {
            body(6, 14, 14, 5)
        } else if c == 1 && h == 32 && w == 32 && k == 5 {
            body(1, 32, 32, 5)
        } else {
            body(c, h, w, k)
        }
    }

    public static func im2col(
        channels: Int, height: Int, width: Int, kernel: Int, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>
    ) {
        convShape(channels, height, width, kernel) { im2colShaped(channels: $0, height: $1, width: $2, kernel: $3, x, col) }
    }
}
