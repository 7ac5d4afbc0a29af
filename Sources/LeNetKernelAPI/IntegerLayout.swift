/// The int8 path's buffer layouts, shared by the kernel builds, the C loops
/// (lenet_int_kernels.h) and the core's workspaces and scalar twins. Inlinable, so the
/// kernels' address arithmetic folds them into constants.
public enum IntegerLayout {
    /// A row of input codes: the image's 32 and 4 zeros, so a quad that starts at x = 31
    /// reads zeros past the edge.
    @inlinable public static var codesRow: Int { 36 }
    /// Rows of input codes: the image's 32 and 3 of zeros, so the column quads of the last
    /// rows read zeros below the image.
    @inlinable public static var codesRows: Int { 35 }
    /// A row of conv1's pairs or quads (LENETQ_PAIR_ROW): 32 and 8 zeros.
    @inlinable public static var pairRow: Int { 40 }
    /// Where conv1's vertical quads start (LENETQ_COLUMN_QUADS), after 32 rows of horizontal
    /// ones: a window's column of taps at kx = 4 is two of them.
    @inlinable public static var columnQuads: Int { 32 * pairRow }
    /// conv1's quads of weights per channel (LENETQ_CONV1_QUADS): five rows, two for the column.
    @inlinable public static var conv1Quads: Int { 7 }
    /// A row of conv2's im2row matrix: 150 codes and 2 zero bytes, whole quads.
    @inlinable public static var conv2Row: Int { 152 }
    /// A row of conv1's pooled sums (14 used) and of conv2's sums (16 channels): one vector.
    @inlinable public static var sumsRow: Int { 16 }
}
