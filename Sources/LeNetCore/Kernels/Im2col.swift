extension Kernels {
    /// Unrolls `channels` x H x W into the (channels*kh*kw) x (OH*OW) matrix a valid,
    /// stride-1 convolution multiplies by its weights (row order c, ky, kx as PyTorch's
    /// weight layout). Pure data movement: each output row is OH runs of OW contiguous floats.
    public static func im2col(
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
    public static func im2colTransposed(
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
    public static func col2im(
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
}
