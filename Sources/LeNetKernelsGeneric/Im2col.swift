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

    /// The transpose of `im2col`'s matrix, (OH*OW) x (channels*kh*kw): row p holds the
    /// receptive field of output position p. Weight gradients multiply by it untransposed,
    /// which keeps `gemm`'s packing a contiguous copy.
    @inline(__always)
    static func im2colTransposedShaped(
        channels: Int, height: Int, width: Int, kernel: Int,
        _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>
    ) {
        let oh = height - kernel + 1, ow = width - kernel + 1, k = channels * kernel * kernel
        for oy in 0..<oh {
            for ox in 0..<ow {
                var dst = col + (oy * ow + ox) * k
                for c in 0..<channels {
                    let src = x + (c * height + oy) * width + ox
                    for ky in 0..<kernel {
                        let row = src + ky * width
                        copyShort(kernel, dst, row)
                        dst += kernel
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: sums each column entry back into the input position it came
    /// from. `dx` is overwritten.
    @inline(__always)
    static func col2imShaped(
        channels: Int, height: Int, width: Int, kernel: Int,
        _ col: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>
    ) {
        let oh = height - kernel + 1, ow = width - kernel + 1
        dx.update(repeating: 0, count: channels * height * width)
        var row = col
        for c in 0..<channels {
            let plane = dx + c * height * width
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    for oy in 0..<oh {
                        add(ow, plane + (oy + ky) * width + kx, row + oy * ow)
                    }
                    row += oh * ow
                }
            }
        }
    }

    // The public entries hand LeNet-5's own shapes to the inlined bodies as constants, so
    // each is compiled with its loop bounds known (unrolled short rows); other shapes take
    // the general path. Called through `KernelProvider`, nothing would be specialised.
    public static func im2col(
        channels: Int, height: Int, width: Int, kernel: Int, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>
    ) {
        if channels == 6 && height == 14 && width == 14 && kernel == 5 {
            im2colShaped(channels: 6, height: 14, width: 14, kernel: 5, x, col)
        } else if channels == 1 && height == 32 && width == 32 && kernel == 5 {
            im2colShaped(channels: 1, height: 32, width: 32, kernel: 5, x, col)
        } else {
            im2colShaped(channels: channels, height: height, width: width, kernel: kernel, x, col)
        }
    }

    public static func im2colTransposed(
        channels: Int, height: Int, width: Int, kernel: Int, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>
    ) {
        if channels == 6 && height == 14 && width == 14 && kernel == 5 {
            im2colTransposedShaped(channels: 6, height: 14, width: 14, kernel: 5, x, col)
        } else {
            im2colTransposedShaped(channels: channels, height: height, width: width, kernel: kernel, x, col)
        }
    }

    public static func col2im(
        channels: Int, height: Int, width: Int, kernel: Int, _ col: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>
    ) {
        if channels == 6 && height == 14 && width == 14 && kernel == 5 {
            col2imShaped(channels: 6, height: 14, width: 14, kernel: 5, col, dx)
        } else {
            col2imShaped(channels: channels, height: height, width: width, kernel: kernel, col, dx)
        }
    }
}
