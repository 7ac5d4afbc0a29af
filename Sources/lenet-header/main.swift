// Generates include/lenet.h from the C ABI's sources: the types between the markers of
// Sources/CLeNetTypes/include/lenet_types.h, and one declaration per `@_cdecl` function in
// Sources/LeNetC/*.swift, with its `///` doc comment and its Swift signature mapped to C.
//
//     swift run lenet-header [REPO_ROOT] > include/lenet.h
//     swift run lenet-header REPO_ROOT swift-statuses > Sources/LeNetC/StatusNames.swift
//     swift run lenet-header REPO_ROOT python-statuses > bindings/python/lenet/_status.py
import Foundation

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
}

let root = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "."

func read(_ path: String) throws -> String {
    try String(contentsOfFile: root + "/" + path, encoding: .utf8)
}

/// The C spelling of a Swift parameter or return type of an exported function.
func cType(_ swift: String) throws -> String {
    var t = swift.trimmingCharacters(in: .whitespaces)
    if t.hasSuffix("?") { t.removeLast() }
    let scalars = [
        "Int": "size_t", "Int32": "int32_t", "UInt32": "uint32_t", "Int64": "int64_t", "UInt64": "uint64_t",
        "Float": "float", "Double": "double", "CChar": "char", "UInt8": "uint8_t", "Void": "void", "()": "void",
        "UnsafeRawPointer": "const void *", "UnsafeMutableRawPointer": "void *",
    ]
    if let s = scalars[t] { return s }
    if t.hasSuffix("_const_ptr") { return "const " + t.dropLast("_const_ptr".count) + " *" }
    if t.hasSuffix("_ptr") { return t.dropLast("_ptr".count) + " *" }
    for (wrapper, prefix) in [("UnsafeMutablePointer<", ""), ("UnsafePointer<", "const ")] where t.hasPrefix(wrapper) && t.hasSuffix(">") {
        let inner = try cType(String(t.dropFirst(wrapper.count).dropLast()))
        // A pointer to pointers: `const char *const *` takes an array of strings, const or not.
        return inner.hasSuffix("*") ? inner + (prefix.isEmpty ? "*" : "const *") : prefix + inner + " *"
    }
    if t.hasPrefix("lenet_") { return t }
    throw GeneratorError(description: "no C spelling for Swift type '\(swift)'")
}

/// Splits "a: X<Y, Z>, b: W" at top-level commas.
func splitParameters(_ s: String) -> [String] {
    var parts = [String](), depth = 0, current = ""
    for ch in s {
        if ch == "<" || ch == "(" { depth += 1 }
        if ch == ">" || ch == ")" { depth -= 1 }
        if ch == "," && depth == 0 {
            parts.append(current)
            current = ""
        } else {
            current.append(ch)
        }
    }
    if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
    return parts
}

struct Function {
    var name: String
    var doc: [String]
    var declaration: String
}

func functions(in source: String, file: String) throws -> [Function] {
    let lines = source.components(separatedBy: "\n")
    var result = [Function]()
    var doc = [String]()
    var i = 0
    while i < lines.count {
        let line = lines[i].trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("///") {
            doc.append(String(line.dropFirst(3)).trimmingCharacters(in: .init(charactersIn: " ")))
        } else if line.hasPrefix("@_cdecl(\"") {
            let name = String(line.dropFirst("@_cdecl(\"".count).prefix { $0 != "\"" })
            // The signature runs from `public func` to the opening brace.
            var signature = ""
            i += 1
            while i < lines.count {
                signature += " " + lines[i].trimmingCharacters(in: .whitespaces)
                if lines[i].contains("{") { break }
                i += 1
            }
            guard let open = signature.firstIndex(of: "("), let arrowBrace = signature.lastIndex(of: "{") else {
                throw GeneratorError(description: "\(file): cannot read the signature of \(name)")
            }
            var depth = 0, close = open
            for idx in signature[open...].indices {
                if signature[idx] == "(" { depth += 1 }
                if signature[idx] == ")" { depth -= 1; if depth == 0 { close = idx; break } }
            }
            let params = String(signature[signature.index(after: open)..<close])
            let rest = signature[signature.index(after: close)..<arrowBrace].trimmingCharacters(in: .whitespaces)
            let returns = rest.hasPrefix("->") ? String(rest.dropFirst(2)) : "Void"
            var cParams = [String]()
            for p in splitParameters(params) {
                let pieces = p.split(separator: ":", maxSplits: 1)
                guard pieces.count == 2 else { throw GeneratorError(description: "\(file): \(name): cannot read parameter '\(p)'") }
                let names = pieces[0].split(separator: " ")
                let pname = String(names.last ?? "")
                let ctype = try cType(String(pieces[1]))
                cParams.append(ctype.hasSuffix("*") ? ctype + pname : ctype + " " + pname)
            }
            let ret = try cType(returns)
            let head = ret.hasSuffix("*") ? ret + name : ret + " " + name
            result.append(Function(name: name, doc: doc, declaration: "\(head)(\(cParams.isEmpty ? "void" : cParams.joined(separator: ", ")));"))
            doc = []
        } else if !line.hasPrefix("@") {
            doc = []
        }
        i += 1
    }
    return result
}

func comment(_ doc: [String]) -> String {
    guard !doc.isEmpty else { return "" }
    return "/**\n" + doc.map { $0.isEmpty ? " *" : " * " + $0 }.joined(separator: "\n") + "\n */\n"
}

do {
    let types = try read("Sources/CLeNetTypes/include/lenet_types.h")
    guard let b = types.range(of: "/* BEGIN LENET TYPES */\n"), let e = types.range(of: "/* END LENET TYPES */") else {
        throw GeneratorError(description: "lenet_types.h lacks the BEGIN/END LENET TYPES markers")
    }
    let typeSection = String(types[b.upperBound..<e.lowerBound])
    let statusList = try statuses(in: typeSection)
    switch CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "header" {
    case "header": break
    case "swift-statuses": print(swiftStatusNames(statusList), terminator: ""); exit(0)
    case "python-statuses": print(pythonStatuses(statusList), terminator: ""); exit(0)
    case let other: throw GeneratorError(description: "unknown output '\(other)' (header, swift-statuses, python-statuses)")
    }

    let versionSource = try read("Sources/LeNetCore/Support/Version.swift")
    guard let m = versionSource.range(of: #"lenetVersion = \(major: (\d+), minor: (\d+), patch: (\d+)\)"#, options: .regularExpression) else {
        throw GeneratorError(description: "Version.swift lacks `lenetVersion = (major: M, minor: N, patch: P)`")
    }
    let numbers = versionSource[m].split(whereSeparator: { !$0.isNumber }).map(String.init)

    let dir = root + "/Sources/LeNetC"
    let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".swift") }.sorted()
    // Files in a fixed, readable order: version and errors first, then by file name.
    let order = ["Version.swift", "Status.swift", "Threads.swift", "ModelAPI.swift", "PredictAPI.swift", "ImageAPI.swift", "DatasetAPI.swift", "TrainAPI.swift"]
    let sorted = files.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
    var sections = [String]()
    var seen = Set<String>()
    for f in sorted {
        let fs = try functions(in: read("Sources/LeNetC/" + f), file: f)
        for fn in fs where !seen.insert(fn.name).inserted { throw GeneratorError(description: "\(fn.name) is exported twice") }
        if !fs.isEmpty { sections.append(fs.map { comment($0.doc) + $0.declaration }.joined(separator: "\n\n")) }
    }

    print(preamble, terminator: "")
    print("#define LENET_VERSION_MAJOR \(numbers[0])\n#define LENET_VERSION_MINOR \(numbers[1])\n#define LENET_VERSION_PATCH \(numbers[2])\n")
    print(typeSection)
    print(sections.joined(separator: "\n\n"))
    print(postamble, terminator: "")
} catch {
    FileHandle.standardError.write(Data("lenet-header: \(error)\n".utf8))
    exit(1)
}
