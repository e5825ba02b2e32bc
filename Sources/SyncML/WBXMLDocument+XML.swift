import Foundation
import WBXML

extension WBXMLDocument {
    /// Reads an XML document and finds its WBXML document type: from `language` when given,
    /// else the DOCTYPE's public identifier, else the root element and its `xmlns`.
    /// - Throws: ``XMLReadError``, or ``WBXMLError/unknownDocumentType(_:)``.
    public static func fromXML(_ data: Data, language: WBXMLLanguage? = nil) throws -> WBXMLDocument {
        let result = try XMLTreeReader().read(data)
        let found = language
            ?? result.publicID.flatMap(WBXMLLanguages.byPublicID)
            ?? WBXMLLanguages.recognise(root: result.root.name, namespace: result.root.attribute("xmlns"))
        guard let found else {
            let known = WBXMLLanguages.all.map(\.key).joined(separator: ", ")
            throw WBXMLError.unknownDocumentType(
                "no known WBXML document type for <\(result.root.name)>\(result.publicID.map { " (\($0))" } ?? ""); name one of: \(known)")
        }
        return WBXMLDocument(language: found, publicID: found.publicID, root: result.root)
    }
}
