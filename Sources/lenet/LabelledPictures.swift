import LeNetCore

/// A folder of labelled pictures, as people keep their own test digits: `labels.csv`
/// (file,label per line; a header line is allowed; files relative to the folder) or, without
/// it, subfolders named 0 to 9 holding PNGs (torchvision's ImageFolder layout).
struct LabelledPictures {
    var files: [String] = []
    var labels: [UInt8] = []

    static func load(_ folder: String) throws -> LabelledPictures {
        var set = LabelledPictures()
        let csv = Paths.appending(folder, "labels.csv")
        if FileIO.exists(csv) {
            let text = String(decoding: try FileIO.read(csv, limit: 256 << 20), as: UTF8.self)
            for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
                let line = raw.trimmedSpaces
                if line.isEmpty { continue }
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmedSpaces)
                guard fields.count >= 2, let label = UInt8(fields[1]), label <= 9 else {
                    if i == 0 { continue }  // a header such as "file,label"
                    throw ValidationError("\(csv) line \(i + 1): expected 'file,label' with a label 0-9, got '\(line.prefix(80))'")
                }
                set.files.append(Paths.appending(folder, fields[0]))
                set.labels.append(label)
            }
        } else {
            for digit in 0...9 {
                let sub = Paths.appending(folder, "\(digit)")
                guard let names = Paths.entries(sub) else { continue }
                for name in names.sorted() where name.lowercased().hasSuffix(".png") {
                    set.files.append(Paths.appending(sub, name))
                    set.labels.append(UInt8(digit))
                }
            }
        }
        guard !set.files.isEmpty else {
            throw ValidationError("\(folder) holds no labelled pictures: give it a labels.csv (file,label) or subfolders 0-9 of PNGs")
        }
        return set
    }
}
