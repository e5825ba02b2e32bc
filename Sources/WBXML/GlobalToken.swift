/// The global tokens of WBXML 1.3 (section 7.1), the same on every code page.
public enum GlobalToken: UInt8, Sendable, CaseIterable {
    case switchPage = 0x00
    case end = 0x01
    case entity = 0x02
    case strI = 0x03
    case literal = 0x04
    case extI0 = 0x40
    case extI1 = 0x41
    case extI2 = 0x42
    case pi = 0x43
    case literalC = 0x44
    case extT0 = 0x80
    case extT1 = 0x81
    case extT2 = 0x82
    case strT = 0x83
    case literalA = 0x84
    case ext0 = 0xC0
    case ext1 = 0xC1
    case ext2 = 0xC2
    case opaque = 0xC3
    case literalAC = 0xC4

    /// The spec's name (`SWITCH_PAGE`, `STR_I`, …).
    public var name: String {
        switch self {
        case .switchPage: "SWITCH_PAGE"
        case .end: "END"
        case .entity: "ENTITY"
        case .strI: "STR_I"
        case .literal: "LITERAL"
        case .extI0: "EXT_I_0"
        case .extI1: "EXT_I_1"
        case .extI2: "EXT_I_2"
        case .pi: "PI"
        case .literalC: "LITERAL_C"
        case .extT0: "EXT_T_0"
        case .extT1: "EXT_T_1"
        case .extT2: "EXT_T_2"
        case .strT: "STR_T"
        case .literalA: "LITERAL_A"
        case .ext0: "EXT_0"
        case .ext1: "EXT_1"
        case .ext2: "EXT_2"
        case .opaque: "OPAQUE"
        case .literalAC: "LITERAL_AC"
        }
    }
}
