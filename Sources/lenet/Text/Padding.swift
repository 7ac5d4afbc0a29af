extension String {
    /// The text with spaces after it up to `width` characters (a table's column).
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

extension StringProtocol {
    /// Without the spaces and tabs at either end (a field of a CSV line, a /proc value).
    var trimmedSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
