import LeNetKernelAPI

let integerWorkspaces = WorkspacePool<IntegerWorkspace>()

/// Buffers for the int8 forward pass over up to `capacity` images. The convolutions run
/// one image at a time through small buffers that stay in L1; the dense layers take the
/// whole group.
final class IntegerWorkspace: PooledWorkspace, @unchecked Sendable {
    let capacity: Int
    let x: UnsafeMutablePointer<Float>  // capacity normalised inputs
    let codes: UnsafeMutablePointer<UInt8>  // IntegerLayout.codesRows rows of codesRow (the last 3 stay zero)
    let pairs: UnsafeMutablePointer<UInt32>  // 32 rows of IntegerLayout.pairRow pairs, or 64 of quads (rows, then columns)
    let pooled1: UnsafeMutablePointer<Int32>  // 6 x 14 rows of IntegerLayout.sumsRow
    let p1: UnsafeMutablePointer<UInt8>  // 14 x 14 x 6
    let rows2: UnsafeMutablePointer<UInt8>  // 100 rows of IntegerLayout.conv2Row
    let sums2: UnsafeMutablePointer<Int32>  // 100 rows of IntegerLayout.sumsRow
    let p2: UnsafeMutablePointer<UInt8>  // capacity x 400
    let sums: UnsafeMutablePointer<Int32>  // capacity rows of IntegerNetwork.sumsWidth
    let h1, h2: UnsafeMutablePointer<UInt8>  // capacity x 120, capacity x 84
    private let storage: UnsafeMutableRawPointer

    init(capacity: Int) {
        self.capacity = capacity
        typealias L = LeNet5
        typealias Row = IntegerLayout
        let side = L.inputSide, positions = L.conv2Positions
        let sizes = [capacity * L.inputSize * 4, Row.codesRows * Row.codesRow, 2 * side * Row.pairRow * 4,
                     L.conv1Channels * L.pool1Side * Row.sumsRow * 4, L.pool1Size, positions * Row.conv2Row, positions * Row.sumsRow * 4,
                     capacity * L.flat, capacity * IntegerNetwork.sumsWidth * 4, capacity * L.hidden1, capacity * L.hidden2]
        let rounded = sizes.map { ($0 + 63) / 64 * 64 }
        // Zeroed once: the padding of the pair rows and of conv2's rows is never written again.
        let base = UnsafeMutableRawPointer.allocate(byteCount: rounded.reduce(0, +), alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: rounded.reduce(0, +))
        storage = base
        var offset = 0
        func take<T>(_ i: Int, _: T.Type) -> UnsafeMutablePointer<T> {
            defer { offset += rounded[i] }
            return (base + offset).assumingMemoryBound(to: T.self)
        }
        x = take(0, Float.self); codes = take(1, UInt8.self); pairs = take(2, UInt32.self); pooled1 = take(3, Int32.self)
        p1 = take(4, UInt8.self); rows2 = take(5, UInt8.self); sums2 = take(6, Int32.self); p2 = take(7, UInt8.self)
        sums = take(8, Int32.self); h1 = take(9, UInt8.self); h2 = take(10, UInt8.self)
    }

    deinit { storage.deallocate() }

    static func make(capacity: Int) -> Self { Self(capacity: capacity) }
}
