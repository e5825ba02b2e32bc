/// Why a WBXML document could not be read or written. Every reading error names the byte offset.
public enum WBXMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input ended inside a construct.
    case truncated(offset: Int, reading: String)
    /// A multi-byte integer has more than 32 bits of value (or more than 5 bytes).
    case integerOverflow(offset: Int)
    /// A string-table reference points outside the table.
    case stringTableOffset(offset: Int, reference: Int, tableLength: Int)
    /// A length field claims more bytes than the input holds.
    case lengthBeyondInput(offset: Int, declared: Int, available: Int)
    /// A token that has no meaning at that place or on that code page.
    case unknownToken(offset: Int, token: UInt8, page: UInt8, context: String)
    /// `SWITCH_PAGE` to a page the document type does not have.
    case unknownPage(offset: Int, page: UInt8)
    /// An `END` without an open element, or elements still open at the end.
    case unbalanced(offset: Int, detail: String)
    /// Elements nest deeper than the decoder allows.
    case tooDeep(offset: Int, limit: Int)
    /// An element has more attributes than the decoder allows.
    case tooManyAttributes(offset: Int, limit: Int)
    /// A name from the string table that XML cannot hold, or an attribute given twice.
    case invalidName(offset: Int, name: String, reason: String)
    /// A WBXML version this codec does not read.
    case unsupportedVersion(offset: Int, version: UInt8)
    /// A character set other than UTF-8, US-ASCII or ISO-8859-1 (IANA MIBenum).
    case unsupportedCharset(offset: Int, mibEnum: UInt32)
    /// Text that is not valid in the document's character set.
    case invalidText(offset: Int)
    /// Trailing bytes after the root element.
    case trailingData(offset: Int)
    /// The encoder cannot represent an element or attribute in the chosen document type.
    case notEncodable(String)
    /// No document type (public identifier or root element) is known for the input.
    case unknownDocumentType(String)

    public var description: String {
        switch self {
        case .truncated(let offset, let reading):
            return "byte \(offset): the data ends inside \(reading)"
        case .integerOverflow(let offset):
            return "byte \(offset): multi-byte integer longer than 32 bits"
        case .stringTableOffset(let offset, let reference, let length):
            return "byte \(offset): string table reference \(reference) is outside the table of \(length) bytes"
        case .lengthBeyondInput(let offset, let declared, let available):
            return "byte \(offset): length \(declared) is larger than the \(available) bytes that follow"
        case .unknownToken(let offset, let token, let page, let context):
            return "byte \(offset): unknown \(context) token 0x\(hex(token)) on code page \(page)"
        case .unknownPage(let offset, let page):
            return "byte \(offset): SWITCH_PAGE to unknown code page \(page)"
        case .unbalanced(let offset, let detail):
            return "byte \(offset): \(detail)"
        case .tooDeep(let offset, let limit):
            return "byte \(offset): elements nest deeper than \(limit) levels"
        case .tooManyAttributes(let offset, let limit):
            return "byte \(offset): an element has more than \(limit) attributes"
        case .invalidName(let offset, let name, let reason):
            return "byte \(offset): name \"\(name.escapedForTrace)\": \(reason)"
        case .unsupportedVersion(let offset, let version):
            return "byte \(offset): WBXML version 0x\(hex(version)) is not 1.0 to 1.3"
        case .unsupportedCharset(let offset, let mib):
            return "byte \(offset): character set MIBenum \(mib) is not supported (UTF-8 = 106, US-ASCII = 3, ISO-8859-1 = 4)"
        case .invalidText(let offset):
            return "byte \(offset): text is not valid in the document's character set"
        case .trailingData(let offset):
            return "byte \(offset): data after the end of the root element"
        case .notEncodable(let detail):
            return detail
        case .unknownDocumentType(let detail):
            return detail
        }
    }

    /// The byte offset the error names, if it is a reading error.
    public var offset: Int? {
        switch self {
        case .truncated(let o, _), .integerOverflow(let o), .stringTableOffset(let o, _, _), .lengthBeyondInput(let o, _, _),
             .unknownToken(let o, _, _, _), .unknownPage(let o, _), .unbalanced(let o, _), .tooDeep(let o, _), .tooManyAttributes(let o, _), .invalidName(let o, _, _),
             .unsupportedVersion(let o, _), .unsupportedCharset(let o, _), .invalidText(let o), .trailingData(let o):
            return o
        case .notEncodable, .unknownDocumentType:
            return nil
        }
    }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
