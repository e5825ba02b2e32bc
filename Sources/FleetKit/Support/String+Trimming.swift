extension String {
    /// The string without leading and trailing whitespace and newlines.
    ///
    /// Pure Swift: Foundation's `trimmingCharacters(in:)` goes through NSString on Linux
    /// and was the largest single cost of validating an imported row.
    var trimmed: String {
        // Most values have no white space at either end: two bytes say so.
        if let head = utf8.first, let tail = utf8.last, head > 0x20, head < 0x7F, tail > 0x20, tail < 0x7F { return self }
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        if first == startIndex && index(after: last) == endIndex { return self }
        return String(self[first...last])
    }
}

extension String.UTF8View {
    /// Whether `needle` occurs in these octets (a plain scan; no regex machinery).
    func contains(sequence needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var index = startIndex
        while let found = self[index...].firstIndex(of: first) {
            if self[found...].starts(with: needle) { return true }
            index = self.index(after: found)
        }
        return false
    }
}
