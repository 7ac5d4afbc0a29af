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
    /// from. `col`'s rows are `ldcol` floats apart (this image's columns of a matrix holding
    /// several images side by side). `dx` is overwritten.
    @inline(__always)
    static func col2imShaped(
        channels: Int, height: Int, width: Int, kernel: Int,
        _ col: UnsafePointer<Float>, ldcol: Int, _ dx: UnsafeMutablePointer<Float>
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
                    row += ldcol
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

    public static func im2colTransposed(
        channels: Int, height: Int, width: Int, kernel: Int, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>
    ) {
        convShape(channels, height, width, kernel) { im2colTransposedShaped(channels: $0, height: $1, width: $2, kernel: $3, x, col) }
    }

    public static func col2im(
        channels: Int, height: Int, width: Int, kernel: Int, _ col: UnsafePointer<Float>, ldcol: Int, _ dx: UnsafeMutablePointer<Float>
    ) {
        convShape(channels, height, width, kernel) { col2imShaped(channels: $0, height: $1, width: $2, kernel: $3, col, ldcol: ldcol, dx) }
    }
}
