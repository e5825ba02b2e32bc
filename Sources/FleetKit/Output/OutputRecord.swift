import Foundation

/// A record that commands print, in every ``OutputFormat``.
public protocol OutputRecord: Sendable {
    /// Column names of `csv` output, in order (the stable contract).
    static var csvFields: [String] { get }
    /// Values in the order of ``csvFields``.
    var csvValues: [String] { get }
    /// Column headings of `table` and the columns of `tsv` (for people; may change).
    static var tableFields: [String] { get }
    /// Values in the order of ``tableFields``.
    var tableValues: [String] { get }
    /// The record as a JSON object (the stable contract).
    var json: JSONValue { get }
    /// The `<title>` of an Atom feed of these records.
    static var atomFeedTitle: String { get }
    /// The feed's `<id>`, relative to the base URL.
    static var atomFeedPath: String { get }
    /// The record as an Atom `<entry>`, each line indented by `indent` spaces;
    /// `standalone` puts the Atom namespace on the entry.
    func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String
}
