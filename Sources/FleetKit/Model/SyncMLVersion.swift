/// The SyncML (OMA DS) protocol version a phone speaks.
public enum SyncMLVersion: String, Sendable, Codable, CaseIterable, Hashable {
    case v1_0 = "1.0"
    case v1_1 = "1.1"
    case v1_2 = "1.2"
}
