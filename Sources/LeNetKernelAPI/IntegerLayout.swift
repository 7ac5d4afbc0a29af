/// The int8 path's buffer layouts, shared by the kernel builds, the C loops
/// (lenet_int_kernels.h) and the core's workspaces and scalar twins. Inlinable, so the
/// kernels' address arithmetic folds them into constants.
public enum IntegerLayout {
    /// A row of input codes: the image's 32 and 4 zeros, so a quad that starts at x = 31
    /// reads zeros past the edge.
    @inlinable public static var codesRow: Int { 36 }
    /// A row of conv1's pairs or quads (LENETQ_PAIR_ROW): 32 and 8 zeros.
    @inlinable public static var pairRow: Int { 40 }
    /// A row of conv2's im2row matrix: 150 codes and 2 zero bytes, whole quads.
    @inlinable public static var conv2Row: Int { 152 }
    /// A row of conv1's pooled sums (14 used) and of conv2's sums (16 channels): one vector.
    @inlinable public static var sumsRow: Int { 16 }
}
