/// Finds the candidates closest to a misspelt name, for "did you mean" hints.
enum Suggest {
    /// The `limit` candidates nearest to `input` by edit distance (case-insensitive),
    /// among those close enough to be a plausible typo.
    static func closest(to input: String, among candidates: [String], limit: Int) -> [String] {
        let needle = Array(input.lowercased().unicodeScalars)
        let threshold = max(2, needle.count / 3)
        var scored: [(distance: Int, name: String)] = []
        for candidate in candidates {
            let hay = Array(candidate.lowercased().unicodeScalars)
            var distance = editDistance(needle, hay)
            // A candidate that contains the input (or is contained in it) is a good hint too.
            if distance > threshold, String(String.UnicodeScalarView(hay)).contains(String(String.UnicodeScalarView(needle))) || String(String.UnicodeScalarView(needle)).contains(String(String.UnicodeScalarView(hay))) {
                distance = threshold
            }
            if distance <= threshold { scored.append((distance, candidate)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        var seen = Set<String>()
        return scored.compactMap { seen.insert($0.name).inserted ? $0.name : nil }.prefix(limit).map { $0 }
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
