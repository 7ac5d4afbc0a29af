/// Reads the `data.pkl` of a PyTorch state_dict without executing anything: an interpreter
/// for the pickle opcodes a state_dict uses, where the only callables are the handful a
/// state_dict needs, each modelled here rather than called. Anything else is refused.
enum PickleValue {
    case none, bool(Bool), int(Int), float(Double), string(String), bytes([UInt8])
    case tuple([PickleValue]), list([PickleValue]), dict([(PickleValue, PickleValue)])
    case global(String)
    case storage(key: String, dtype: StorageType)
    case tensor(TensorReference)
    case mark

    enum StorageType: String {
        case float = "FloatStorage", double = "DoubleStorage", half = "HalfStorage", bfloat16 = "BFloat16Storage"

        var size: Int {
            switch self {
            case .float: return 4
            case .double: return 8
            case .half, .bfloat16: return 2
            }
        }
    }

    struct TensorReference {
        var storageKey: String
        var dtype: StorageType
        var offset: Int
        var shape: [Int]
        var stride: [Int]
    }
}

struct RestrictedUnpickler {
    /// The globals a state_dict may name; `torch.*Storage` are the storage types above.
    static let allowedCallables: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
    ]

    /// A value with its nesting depth. Values nest no deeper than `maxDepth` (a state_dict
    /// needs 4), so neither reading nor freeing them can recurse deep enough to exhaust a
    /// thread's stack.
    private struct Item {
        var value: PickleValue
        var depth: Int
    }

    private var r: ByteReader
    private var stack: [Item] = []
    private var memo: [Int: Item] = [:]
    private let budget: LoadBudget
    private static let maxItems = 1_000_000
    static let maxDepth = 32
    private static let valueSize = MemoryLayout<PickleValue>.stride

    init(_ bytes: [UInt8], budget: LoadBudget) {
        r = ByteReader(bytes)
        self.budget = budget
    }

    static func load(_ bytes: [UInt8], budget: LoadBudget) throws -> PickleValue {
        var u = RestrictedUnpickler(bytes, budget: budget)
        return try u.run()
    }

    private mutating func pop() throws -> Item {
        guard let v = stack.popLast() else { throw LeNetError.format("pickle stack underflow at byte \(r.offset)") }
        return v
    }

    private mutating func push(_ value: PickleValue) { stack.append(Item(value: value, depth: 0)) }

    /// A container of `children`, one level deeper than the deepest of them. Building it
    /// copies the children: that is charged, so no sequence of opcodes does unbounded work.
    private mutating func container(_ children: [Item], at: Int, _ make: ([PickleValue]) -> PickleValue) throws -> Item {
        let depth = 1 + (children.map(\.depth).max() ?? 0)
        guard depth <= Self.maxDepth else {
            throw LeNetError.format("pickle values nest deeper than \(Self.maxDepth) levels at byte \(at)")
        }
        try budget.charge(children.count, of: Self.valueSize, "pickle containers")
        return Item(value: make(children.map(\.value)), depth: depth)
    }

    private mutating func popToMark() throws -> [Item] {
        guard let m = stack.lastIndex(where: { if case .mark = $0.value { return true } else { return false } }) else {
            throw LeNetError.format("pickle MARK missing at byte \(r.offset)")
        }
        let items = Array(stack[(m + 1)...])
        stack.removeSubrange(m...)
        return items
    }

    private mutating func line() throws -> String {
        var chars = [UInt8]()
        while true {
            let c = try r.u8("pickle text")
            if c == 0x0A { break }
            chars.append(c)
            guard chars.count < 256 else { throw LeNetError.format("pickle text field is too long") }
        }
        return String(decoding: chars, as: UTF8.self)
    }

    private mutating func run() throws -> PickleValue {
        while true {
            guard stack.count < Self.maxItems, memo.count < Self.maxItems else { throw LeNetError.format("pickle is too large") }
            let at = r.offset
            let op = try r.u8("pickle opcode")
            switch op {
            case 0x80: _ = try r.u8("pickle protocol")                         // PROTO
            case 0x95: _ = try r.u64("pickle frame")                            // FRAME
            case 0x2E: return try pop().value                                   // STOP
            case 0x28: push(.mark)                                              // MARK
            case 0x4E: push(.none)                                              // NONE
            case 0x88: push(.bool(true))                                        // NEWTRUE
            case 0x89: push(.bool(false))                                       // NEWFALSE
            case 0x4B: push(.int(Int(try r.u8("BININT1"))))                     // BININT1
            case 0x4D: push(.int(Int(try r.u16("BININT2"))))                    // BININT2
            case 0x4A: push(.int(Int(Int32(bitPattern: try r.u32("BININT")))))  // BININT
            case 0x8A:                                                          // LONG1
                let n = Int(try r.u8("LONG1 length"))
                guard n <= 8 else { throw LeNetError.format("pickle integer of \(n) bytes is too large") }
                let b = try r.take(n, "LONG1")
                var v: Int64 = 0
                for (i, byte) in b.enumerated() { v |= Int64(byte) << (8 * i) }
                if n > 0 && n < 8 && b.last! & 0x80 != 0 { v -= Int64(1) << (8 * n) }
                push(.int(Int(v)))
            case 0x47: push(.float(Double(bitPattern: UInt64(bigEndian: try r.u64("BINFLOAT")))))  // BINFLOAT
            case 0x58:                                                          // BINUNICODE
                let n = Int(try r.u32("BINUNICODE length"))
                push(.string(try r.utf8(count: n, "pickle string")))
            case 0x8C:                                                          // SHORT_BINUNICODE
                let n = Int(try r.u8("SHORT_BINUNICODE length"))
                push(.string(try r.utf8(count: n, "pickle string")))
            case 0x43:                                                          // SHORT_BINBYTES
                let n = Int(try r.u8("SHORT_BINBYTES length"))
                push(.bytes(Array(try r.take(n, "pickle bytes"))))
            case 0x29: push(.tuple([]))                                         // EMPTY_TUPLE
            case 0x85: stack.append(try container([try pop()], at: at) { .tuple($0) })  // TUPLE1
            case 0x86:                                                          // TUPLE2
                let b = try pop(), a = try pop()
                stack.append(try container([a, b], at: at) { .tuple($0) })
            case 0x87:                                                          // TUPLE3
                let c = try pop(), b = try pop(), a = try pop()
                stack.append(try container([a, b, c], at: at) { .tuple($0) })
            case 0x74: stack.append(try container(try popToMark(), at: at) { .tuple($0) })  // TUPLE
            case 0x5D: push(.list([]))                                          // EMPTY_LIST
            case 0x7D: push(.dict([]))                                          // EMPTY_DICT
            case 0x61, 0x65:                                                    // APPEND, APPENDS
                let items = op == 0x61 ? [try pop()] : try popToMark()
                let list = try pop()
                guard case .list(let l) = list.value else { throw LeNetError.format("pickle APPEND to a non-list at byte \(at)") }
                // The list is a value: appending may copy all of it (it may be memoized too).
                let old = l.map { Item(value: $0, depth: list.depth - 1) }
                stack.append(try container(old + items, at: at) { .list($0) })
            case 0x73, 0x75:                                                    // SETITEM, SETITEMS
                var items: [Item]
                if op == 0x73 {
                    let v = try pop(), k = try pop()
                    items = [k, v]
                } else {
                    items = try popToMark()
                }
                let dict = try pop()
                guard items.count % 2 == 0, case .dict(let d) = dict.value else {
                    throw LeNetError.format("pickle SETITEM on a non-dict at byte \(at)")
                }
                let old = d.flatMap { [Item(value: $0.0, depth: dict.depth - 1), Item(value: $0.1, depth: dict.depth - 1)] }
                stack.append(try container(old + items, at: at) { flat in
                    .dict(stride(from: 0, to: flat.count, by: 2).map { (flat[$0], flat[$0 + 1]) })
                })
            case 0x71: memo[Int(try r.u8("BINPUT"))] = stack.last               // BINPUT
            case 0x72: memo[Int(try r.u32("LONG_BINPUT"))] = stack.last         // LONG_BINPUT
            case 0x94: memo[memo.count] = stack.last                            // MEMOIZE
            case 0x68, 0x6A:                                                    // BINGET, LONG_BINGET
                let k = op == 0x68 ? Int(try r.u8("BINGET")) : Int(try r.u32("LONG_BINGET"))
                guard let v = memo[k] else { throw LeNetError.format("pickle refers to memo \(k), never stored") }
                stack.append(v)
            case 0x63:                                                          // GLOBAL
                let module = try line(), name = try line()
                push(.global(try Self.checkGlobal(module, name)))
            case 0x93:                                                          // STACK_GLOBAL
                guard case .string(let name) = try pop().value, case .string(let module) = try pop().value else {
                    throw LeNetError.format("pickle STACK_GLOBAL without names at byte \(at)")
                }
                push(.global(try Self.checkGlobal(module, name)))
            case 0x51:                                                          // BINPERSID
                push(try Self.persistent(try pop().value))
            case 0x52:                                                          // REDUCE
                let args = try pop(), callable = try pop()
                push(try Self.reduce(callable.value, args.value))
            case 0x62:                                                          // BUILD: state on a dict (state_dict._metadata) is dropped
                _ = try pop()
            default:
                throw LeNetError.format("pickle opcode 0x\(String(op, radix: 16)) at byte \(at) is not one a state_dict uses; refusing to read further")
            }
        }
    }

    static func checkGlobal(_ module: String, _ name: String) throws -> String {
        let full = "\(module).\(name)"
        if allowedCallables.contains(full) { return full }
        if module == "torch", PickleValue.StorageType(rawValue: name) != nil { return full }
        throw LeNetError.format("the pickle refers to '\(full)', which a state_dict does not need; refusing it (nothing was executed)")
    }

    /// ('storage', torch.XStorage, key, location, numel) -> a storage reference.
    static func persistent(_ pid: PickleValue) throws -> PickleValue {
        guard case .tuple(let t) = pid, t.count >= 3, case .string("storage") = t[0], case .global(let type) = t[1],
              case .string(let key) = t[2], let dtype = PickleValue.StorageType(rawValue: String(type.dropFirst("torch.".count)))
        else { throw LeNetError.format("the pickle has a persistent id that is not a tensor storage") }
        return .storage(key: key, dtype: dtype)
    }

    static func reduce(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let name) = callable, case .tuple(let a) = args else {
            throw LeNetError.format("the pickle calls something that is not an allowed function")
        }
        switch name {
        case "collections.OrderedDict":
            return .dict([])
        case "torch._utils._rebuild_tensor_v2":
            guard a.count >= 4, case .storage(let key, let dtype) = a[0], case .int(let offset) = a[1],
                  case .tuple(let size) = a[2], case .tuple(let stride) = a[3]
            else { throw LeNetError.format("_rebuild_tensor_v2 has unexpected arguments") }
            func ints(_ v: [PickleValue]) throws -> [Int] {
                try v.map { guard case .int(let i) = $0, i >= 0 else { throw LeNetError.format("tensor size or stride is not a non-negative integer") }; return i }
            }
            let shape = try ints(size), strides = try ints(stride)
            guard shape.count == strides.count, shape.count <= 8, offset >= 0 else {
                throw LeNetError.format("tensor has mismatched size and stride")
            }
            return .tensor(.init(storageKey: key, dtype: dtype, offset: offset, shape: shape, stride: strides))
        case "torch._utils._rebuild_parameter":
            guard let first = a.first, case .tensor = first else { throw LeNetError.format("_rebuild_parameter without a tensor") }
            return first
        default:
            throw LeNetError.format("the pickle calls '\(name)', which is not allowed")
        }
    }
}
