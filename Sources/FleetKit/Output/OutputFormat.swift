/// How commands print records.
///
/// `csv`, `json`, `ndjson` and `atom` are the stable, documented contract for scripts;
/// `table` and `tsv` are for people and may change.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns with a header: the default on a terminal.
    case table
    /// One record per line, tab-separated, no header, nothing truncated: the default when stdout is not a terminal.
    case tsv
    /// RFC 4180 with a header row (LF line ends).
    case csv
    /// A JSON array of objects (one object for a single record).
    case json
    /// One JSON object per line (JSON Lines).
    case ndjson
    /// The ObexCode Atom feed (or entry for a single record).
    case atom
}
