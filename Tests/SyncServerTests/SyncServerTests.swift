import Foundation
import SyncML
import Testing
import TestSupport
import WBXML

extension SyncHarness.Response {
    /// The server's item commands in its Syncs: (command, server id, phone id, data).
    var changes: [(command: String, serverID: String, luid: String?, data: String)] {
        syncs.flatMap { sync in
            sync.elements.filter { ["Add", "Replace", "Delete"].contains($0.name) }.map { command in
                (command.name, command.value("Item", "Source", "LocURI") ?? "", command.value("Item", "Target", "LocURI"),
                 String(decoding: command.child("Item")?.child("Data")?.bytes ?? [], as: UTF8.self))
            }
        }
    }

    /// The phone's answer to the server's commands: a status each, and a Map of the additions (`c<id>`).
    func acknowledgement(code: Int = 200) -> String {
        let msgRef = root?.value("SyncHdr", "MsgID") ?? ""
        var out = "<Status><CmdID>\(Snippet.nextID())</CmdID><MsgRef>\(msgRef)</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>"
        var mapped: [(server: String, luid: String)] = []
        for sync in syncs {
            for command in sync.elements where ["Add", "Replace", "Delete"].contains(command.name) {
                out += "<Status><CmdID>\(Snippet.nextID())</CmdID><MsgRef>\(msgRef)</MsgRef><CmdRef>\(command.value("CmdID")!)</CmdRef>"
                    + "<Cmd>\(command.name)</Cmd><Data>\(command.name == "Add" && code == 200 ? 201 : code)</Data></Status>"
                if command.name == "Add", command.child("Item")?.child("MoreData") == nil {
                    mapped.append((command.value("Item", "Source", "LocURI")!, "c" + command.value("Item", "Source", "LocURI")!))
                }
            }
        }
        return out + (mapped.isEmpty ? "" : Snippet.map(mapped))
    }
}

extension SyncHarness {
    /// Package 1: credentials and one alert.
    mutating func start(_ code: Int, last: String? = nil, next: String, extra: String = "") async throws -> Response {
        newSession()
        return try await send(message(extra + Snippet.alert(code, last: last, next: next), cred: basicCred))
    }

    /// Package 3 and on: the phone's changes, then acknowledgements until the server's last message.
    /// Returns every server change seen and the last answer.
    mutating func exchange(_ changes: String, maxMsgSize: Int? = nil)
        async throws -> (changes: [(command: String, serverID: String, luid: String?, data: String)], last: Response, messages: Int) {
        var response = try await send(message(Snippet.sync(changes), maxMsgSize: maxMsgSize))
        var seen = response.changes
        var messages = 1
        while !response.isFinal && messages < 50 {
            let next = "<Alert><CmdID>\(Snippet.nextID())</CmdID><Data>222</Data></Alert>"
            response = try await send(message(response.acknowledgement() + next, final: false))
            seen += response.changes
            messages += 1
        }
        if !seen.isEmpty {
            response = try await send(message(response.acknowledgement()))
        }
        return (seen, response, messages)
    }
}

@Suite("SyncML server: authentication")
struct AuthenticationTests {
    @Test("no credentials get 407 and an MD5 challenge; a wrong password 401; the nonce issued then authenticates (both digest forms)")
    func challenges() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        let none = try await phone.send(phone.message(Snippet.alert(200, next: "1")))
        #expect(none.headerStatus == 407)
        let nonce = try #require(none.nonce)
        #expect(nonce.count == 16)
        // Letters and digits only: libsynthesis cuts a nonce at its first NUL.
        for _ in 0..<200 { #expect(SyncAuthentication.newNonce().allSatisfy { $0 != 0 && $0 < 0x80 }) }
        #expect(none.alerts.isEmpty, "nothing is processed before authentication")

        let wrong = SyncAuthentication.md5(username: phone.username, password: "not-it", nonce: nonce)
        let refused = try await phone.send(phone.message(Snippet.alert(200, next: "1"), cred: md5Cred(wrong)))
        #expect(refused.headerStatus == 401)
        let second = try #require(refused.nonce)
        #expect(second != nonce)

        let right = SyncAuthentication.md5(username: phone.username, password: phone.password, nonce: second)
        let accepted = try await phone.send(phone.message(Snippet.alert(200, next: "1"), cred: md5Cred(right)))
        #expect(accepted.headerStatus == 212)
        #expect(accepted.statuses("Alert") == [508], "a first sync of a datastore is slow")
        let forNextSession = try #require(accepted.nonce)

        // The next session authenticates at once with the nonce stored for it, in the SyncML 1.0 form too.
        phone.newSession()
        let v10 = SyncAuthentication.md5v10(username: phone.username, password: phone.password, nonce: forNextSession)
        let again = try await phone.send(phone.message(Snippet.alert(201, next: "2"), cred: md5Cred(v10)))
        #expect(again.headerStatus == 212)

        let records = try SessionRecords(phone).sessions()
        #expect(records.count == 2)
        #expect(records[0]["authType"] as String? == "md5")
        #expect(records[0]["username"] as String? == phone.username)
    }

    @Test("three wrong passwords end the session, recorded as failed with the reason")
    func lockout() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        phone.password = "wrong-password"
        for expected in [401, 401, 401] {
            let response = try await phone.send(phone.message(Snippet.alert(200, next: "1"), cred: phone.basicCred))
            #expect(response.headerStatus == expected)
            #expect(response.isFinal)
        }
        #expect(phone.state?.isFinished == true)
        let record = try #require(try SessionRecords(phone).sessions().first)
        #expect(record["status"] as String? == "failed")
        #expect((record["error"] as String?)?.contains("wrong password for sync user alice-phone") == true)
    }

    @Test("unknown user names are refused; a phone whose IMEI is not the registered one gets 403")
    func wrongPhone() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        phone.username = "nobody"
        let unknown = try await phone.send(phone.message(Snippet.alert(200, next: "1"), cred: phone.basicCred))
        #expect(unknown.headerStatus == 401)
        phone.username = "alice-phone"
        phone.deviceID = "IMEI:356938035643809"
        phone.newSession()
        let other = try await phone.send(phone.message(Snippet.alert(200, next: "1"), cred: phone.basicCred))
        #expect(other.headerStatus == 403)
        let errors = try SessionRecords(phone).sessions().compactMap { $0["error"] as String? }
        #expect(errors.contains { $0.contains("no phone has the sync user name nobody") })
        #expect(errors.contains { $0.contains("is not the phone registered") })
    }

    @Test("credentials never reach the chatlog: Cred data is masked in the XML and overwritten in the raw bytes")
    func redaction() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        for encoding in [SyncMLEncoding.xml, .wbxml] {
            phone.encoding = encoding
            _ = try await phone.start(200, next: "1")
        }
        // Unreadable messages too: the body is scrubbed by pattern (here, base64 without padding and no <Cred> to find).
        phone.username = "alice-phone1"
        let unpadded = SyncAuthentication.basic(username: phone.username, password: phone.password)
        #expect(!unpadded.hasSuffix("="))
        phone.state = nil
        _ = try await phone.sendRaw(Array("<SyncML><SyncHdr><Data>\(unpadded)</Data><Broken".utf8), contentType: "application/vnd.syncml+xml")
        phone.username = "alice-phone"
        let secret = SyncAuthentication.basic(username: phone.username, password: phone.password)
        let records = try SessionRecords(phone)
        for session in try records.sessions() {
            for message in try records.chatlog(session: session["id"]) {
                let raw = [UInt8]((message["raw"] as Data?) ?? Data())
                #expect(!String(decoding: raw, as: UTF8.self).contains(secret))
                #expect(!String(decoding: raw, as: UTF8.self).contains(unpadded))
                #expect(!((message["xml"] as String?) ?? "").contains(secret))
                #expect(!((message["xml"] as String?) ?? "").contains(phone.password))
            }
            let first = try #require(try records.chatlog(session: session["id"]).first)
            #expect((first["xml"] as String?)?.contains("***") == true || (first["xml"] as String?)?.contains("*****") == true)
        }
    }
}

func md5Cred(_ digest: String) -> String {
    "<Cred><Meta><Type xmlns='syncml:metinf'>syncml:auth-md5</Type><Format xmlns='syncml:metinf'>b64</Format></Meta><Data>\(digest)</Data></Cred>"
}

@Suite("SyncML server: sessions")
struct SessionFlowTests {
    @Test("a first sync: DevInf put and got, anchors lost → 508 and slow sync, items added, anchors kept for a two-way next time")
    func firstAndSecondSync() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        let devinf = """
            <Put><CmdID>\(Snippet.nextID())</CmdID><Meta><Type xmlns='syncml:metinf'>application/vnd.syncml-devinf+xml</Type></Meta>\
            <Item><Source><LocURI>./devinf12</LocURI></Source><Data><DevInf xmlns='syncml:devinf'><VerDTD>1.2</VerDTD><Man>Nokia</Man>\
            <Mod>6233</Mod><FwV>V 05.10</FwV><DevID>IMEI:490154203237518</DevID><DevTyp>phone</DevTyp><DataStore><SourceRef>./contacts</SourceRef>\
            <DisplayName>Contacts</DisplayName><Rx-Pref><CTType>text/x-vcard</CTType><VerCT>2.1</VerCT></Rx-Pref></DataStore></DevInf></Data></Item></Put>\
            <Get><CmdID>\(Snippet.nextID())</CmdID><Meta><Type xmlns='syncml:metinf'>application/vnd.syncml-devinf+xml</Type></Meta>\
            <Item><Target><LocURI>./devinf12</LocURI></Target></Item></Get>
            """
        let first = try await phone.start(200, last: "0", next: "A1", extra: devinf)
        #expect(first.headerStatus == 212)
        #expect(first.statuses("Put") == [200])
        #expect(first.statuses("Get") == [200])
        let results = try #require(first.body.child("Results"))
        #expect(results.path("Item", "Data")?.nestedElement?.value("Man") == "SyncFleet")
        #expect(first.statuses("Alert") == [508])
        #expect(first.alerts.first?.value("Data") == "201")
        #expect(first.isFinal)

        let adds = Snippet.item("Add", luid: "1", data: Snippet.vcard("Ann")) + Snippet.item("Add", luid: "2", data: Snippet.vcard("Bob"))
        let (changes, last, _) = try await phone.exchange(adds)
        #expect(changes.isEmpty, "the server had nothing for the phone")
        #expect(last.statuses("Add") == [201, 201])
        #expect(last.isFinal)
        #expect(phone.state?.record.status == .ok, "complete, though open for the phone's last answer")

        let records = try SessionRecords(phone)
        #expect(try records.liveItems().count == 2)
        let session = try #require(try records.sessions().first)
        #expect(session["status"] as String? == "ok")
        let store = try #require(try records.datastores(session: session["id"]).first)
        #expect(store["requested"] as Int? == 200)
        #expect(store["syncType"] as Int? == 201)
        #expect(store["addedIn"] as Int? == 2)
        #expect(try records.int("SELECT COUNT(*) FROM syncDevice WHERE model = '6233' AND manufacturer = 'Nokia'") == 1)
        #expect(try records.int("SELECT itemCount FROM syncDatastore") == 2)

        // Same anchors: a two-way sync, nothing moves.
        let second = try await phone.start(200, last: "A1", next: "A2")
        #expect(second.statuses("Alert") == [200])
        #expect(second.alerts.first?.value("Data") == "200")
        let (nothing, _, _) = try await phone.exchange("")
        #expect(nothing.isEmpty)
        // Anchors that do not match: 508 and a slow sync that re-sends what the server has creates no duplicates.
        let lost = try await phone.start(200, last: "bogus", next: "A3")
        #expect(lost.statuses("Alert") == [508])
        let resend = Snippet.item("Replace", luid: "1", data: Snippet.vcard("Ann")) + Snippet.item("Replace", luid: "9", data: Snippet.vcard("Bob"))
        let (missing, done, _) = try await phone.exchange(resend)
        #expect(done.statuses("Replace") == [200, 200])
        #expect(missing.isEmpty)
        #expect(try records.liveItems().count == 2)
    }

    @Test("two phones of one user converge: adds, replaces and deletes of one reach the other, none sent back to its author")
    func convergence() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        _ = try await phone.start(201, next: "1")
        _ = try await phone.exchange(Snippet.item("Add", luid: "1", data: Snippet.vcard("Ann")) + Snippet.item("Add", luid: "2", data: Snippet.vcard("Bob")))

        var tablet = try await phone.secondPhone()
        let refresh = try await tablet.start(205, next: "t1")
        #expect(refresh.statuses("Alert") == [200])
        let (initial, _, _) = try await tablet.exchange("")
        #expect(initial.map(\.command) == ["Add", "Add"])
        #expect(Set(initial.map(\.data)) == [Snippet.vcard("Ann"), Snippet.vcard("Bob")])

        _ = try await phone.start(200, last: "1", next: "2")
        let edits = Snippet.item("Replace", luid: "1", data: Snippet.vcard("Ann", phone: "+4711111111"))
            + Snippet.item("Delete", luid: "2") + Snippet.item("Add", luid: "3", data: Snippet.vcard("Cid"))
        let (echo, _, _) = try await phone.exchange(edits)
        #expect(echo.isEmpty, "the phone's own changes are not sent back to it")

        let twoWay = try await tablet.start(200, last: "t1", next: "t2")
        #expect(twoWay.statuses("Alert") == [200])
        let (received, _, _) = try await tablet.exchange("")
        #expect(received.map(\.command).sorted() == ["Add", "Delete", "Replace"])
        let replace = try #require(received.first { $0.command == "Replace" })
        #expect(replace.data.contains("+4711111111"))
        #expect(replace.luid?.hasPrefix("c") == true, "Replace names the tablet's own id")
        #expect(received.first { $0.command == "Add" }?.data.contains("Cid") == true)
        // And nothing more after that.
        _ = try await tablet.start(200, last: "t2", next: "t3")
        let (quiet, _, _) = try await tablet.exchange("")
        #expect(quiet.isEmpty)
    }

    @Test("refresh from client makes the server's data the phone's; one-way from client sends nothing back")
    func refreshFromClient() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        _ = try await phone.start(201, next: "1")
        _ = try await phone.exchange(Snippet.item("Add", luid: "1", data: Snippet.vcard("Ann")) + Snippet.item("Add", luid: "2", data: Snippet.vcard("Bob")))
        var tablet = try await phone.secondPhone()
        _ = try await tablet.start(203, next: "t1")
        let (sent, _, _) = try await tablet.exchange(Snippet.item("Replace", luid: "x", data: Snippet.vcard("Ann")))
        #expect(sent.isEmpty)
        let records = try SessionRecords(phone)
        #expect(try records.liveItems() == [Snippet.vcard("Ann")])
        _ = try await phone.start(202, last: "1", next: "2")
        let (oneWay, _, _) = try await phone.exchange(Snippet.item("Add", luid: "5", data: Snippet.vcard("Eve")))
        #expect(oneWay.isEmpty)
        #expect(try records.liveItems().count == 2)
    }

    @Test("the server's changes spread over several messages when MaxMsgSize demands, and a large object goes in chunks")
    func multipleMessages() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        _ = try await phone.start(201, next: "1")
        let big = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Big;;;;\r\nNOTE:" + String(repeating: "x", count: 6000) + "\r\nEND:VCARD\r\n"
        var adds = (0..<30).map { Snippet.item("Add", luid: "\($0)", data: Snippet.vcard("Person \($0)")) }.joined()
        adds += Snippet.item("Add", luid: "big", data: big)
        _ = try await phone.exchange(adds)

        var tablet = try await phone.secondPhone()
        _ = try await tablet.start(205, next: "t1")
        var response = try await tablet.send(tablet.message(Snippet.sync(""), maxMsgSize: 2500))
        var received: [String: String] = [:]
        var messages = 1
        var sawChunk = false
        while true {
            #expect(response.bytes.count <= 2500, "message \(messages) is \(response.bytes.count) bytes")
            for sync in response.syncs {
                for command in sync.elements where command.name == "Add" {
                    let id = command.value("Item", "Source", "LocURI")!
                    let data = String(decoding: command.child("Item")?.child("Data")?.bytes ?? [], as: UTF8.self)
                    if command.child("Item")?.child("MoreData") != nil {
                        sawChunk = true
                        if received[id] == nil { #expect(command.value("Meta", "Size") == String(big.utf8.count)) }
                    }
                    received[id, default: ""] += data
                }
            }
            if response.isFinal { break }
            #expect(!response.isFinal)
            messages += 1
            let ack = response.acknowledgement(code: 200).replacingOccurrences(of: "<Data>201</Data>", with: "<Data>201</Data>")
            response = try await tablet.send(tablet.message(ack + "<Alert><CmdID>\(Snippet.nextID())</CmdID><Data>222</Data></Alert>", final: false))
            if messages > 40 { break }
        }
        #expect(messages > 3)
        #expect(sawChunk)
        #expect(received.count == 31)
        #expect(received.values.contains(big))
        #expect(Set(received.values).count == 31)
    }

    @Test("a large object from the phone arrives in chunks: 213 for each, then 201; a wrong total is 424")
    func incomingChunks() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        _ = try await phone.start(201, next: "1")
        let card = Snippet.vcard("Chunked Person")
        let cut = card.index(card.startIndex, offsetBy: 20)
        let size = "<Meta><Type xmlns='syncml:metinf'>text/x-vcard</Type><Size xmlns='syncml:metinf'>\(card.utf8.count)</Size></Meta>"
        let part1 = "<Add><CmdID>\(Snippet.nextID())</CmdID>\(size)<Item><Source><LocURI>L1</LocURI></Source><Data><![CDATA[\(card[..<cut])]]></Data><MoreData/></Item></Add>"
        let first = try await phone.send(phone.message(Snippet.sync(part1), final: false))
        #expect(first.statuses("Add") == [213])
        #expect(!first.isFinal)
        let part2 = Snippet.item("Add", luid: "L1", data: String(card[cut...]))
        let second = try await phone.send(phone.message(Snippet.sync(part2)))
        #expect(second.statuses("Add") == [201])
        #expect(try SessionRecords(phone).liveItems() == [card])

        _ = try await phone.start(201, next: "2")
        let wrong = "<Add><CmdID>\(Snippet.nextID())</CmdID><Meta><Type xmlns='syncml:metinf'>text/x-vcard</Type><Size xmlns='syncml:metinf'>999</Size></Meta>"
            + "<Item><Source><LocURI>L2</LocURI></Source><Data><![CDATA[\(card)]]></Data></Item></Add>"
        let mismatch = try await phone.send(phone.message(Snippet.sync(wrong)))
        #expect(mismatch.statuses("Add") == [424])
    }

    @Test("conflict policies: server-wins (419, the server's version goes back), client-wins (208), duplicate (209, both kept)")
    func conflicts() async throws {
        for policy in [ConflictPolicy.serverWins, .clientWins, .duplicate] {
            var phone = try await SyncHarness.make(configuration: SyncServerConfiguration(defaultConflictPolicy: policy))
            defer { phone.remove() }
            _ = try await phone.start(201, next: "1")
            _ = try await phone.exchange(Snippet.item("Add", luid: "1", data: Snippet.vcard("Ann")))
            var tablet = try await phone.secondPhone()
            _ = try await tablet.start(205, next: "t1")
            _ = try await tablet.exchange("")
            // Both change Ann; the tablet syncs first.
            _ = try await tablet.start(200, last: "t1", next: "t2")
            _ = try await tablet.exchange(Snippet.item("Replace", luid: "c1", data: Snippet.vcard("Ann", phone: "+4722222222")))
            _ = try await phone.start(200, last: "1", next: "2")
            let (back, last, _) = try await phone.exchange(Snippet.item("Replace", luid: "1", data: Snippet.vcard("Ann", phone: "+4733333333")))
            _ = last
            let items = try SessionRecords(phone).liveItems()
            switch policy {
            case .serverWins:
                #expect(back.map(\.command) == ["Replace"])
                #expect(back.first?.data.contains("+4722222222") == true)
                #expect(items.count == 1 && items[0].contains("+4722222222"))
            case .clientWins:
                #expect(back.isEmpty)
                #expect(items.count == 1 && items[0].contains("+4733333333"))
            case .duplicate:
                #expect(back.map(\.command) == ["Add"])
                #expect(items.count == 2)
            case .newestWins:
                break
            }
            let statuses = try SessionRecords(phone).chatlog(session: 4).compactMap { $0["xml"] as String? }.joined()
            let expected = [ConflictPolicy.serverWins: "419", .clientWins: "208", .duplicate: "209"][policy]!
            #expect(statuses.contains("<Cmd>Replace</Cmd>") && statuses.contains("<Data>\(expected)</Data>"), "\(policy)")
        }
    }
}

@Suite("SyncML server: versions and variants")
struct VariantTests {
    @Test("SyncML 1.0 and 1.1 sessions are answered in their own version")
    func olderVersions() async throws {
        for version in ["1.0", "1.1"] {
            var phone = try await SyncHarness.make()
            defer { phone.remove() }
            phone.version = version
            let first = try await phone.start(201, next: "1")
            #expect(first.headerStatus == 212)
            #expect(first.root?.value("SyncHdr", "VerDTD") == version)
            #expect(first.root?.value("SyncHdr", "VerProto") == "SyncML/\(version)")
            let (_, last, _) = try await phone.exchange(Snippet.item("Add", luid: "1", data: Snippet.vcard("Old")))
            #expect(last.statuses("Add") == [201])
            #expect(try SessionRecords(phone).sessions().first?["version"] as String? == version)
        }
    }

    @Test("a phone answering a server alert (206) gets a two-way sync; a soft delete keeps the item on the server")
    func serverAlertedAndSoftDelete() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        _ = try await phone.start(201, next: "1")
        _ = try await phone.exchange(Snippet.item("Add", luid: "1", data: Snippet.vcard("Keep")) + Snippet.item("Add", luid: "2", data: Snippet.vcard("Gone")))
        let alerted = try await phone.start(206, last: "1", next: "2")
        #expect(alerted.statuses("Alert") == [200])
        #expect(alerted.alerts.first?.value("Data") == "200")
        let deletes = Snippet.item("Delete", luid: "1", extra: "<SftDel/>") + Snippet.item("Delete", luid: "2", extra: "<Archive/>")
        let (_, last, _) = try await phone.exchange(deletes)
        #expect(last.statuses("Delete") == [200, 210])
        #expect(try SessionRecords(phone).liveItems() == [Snippet.vcard("Keep")])
    }

    @Test("newest-wins keeps the version with the later REV")
    func newestWins() async throws {
        var phone = try await SyncHarness.make(configuration: SyncServerConfiguration(defaultConflictPolicy: .newestWins))
        defer { phone.remove() }
        func card(_ rev: String, _ tel: String) -> String {
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Ann;;;;\r\nTEL:\(tel)\r\nREV:\(rev)\r\nEND:VCARD\r\n"
        }
        _ = try await phone.start(201, next: "1")
        _ = try await phone.exchange(Snippet.item("Add", luid: "1", data: card("20260101T000000Z", "+471")))
        var tablet = try await phone.secondPhone()
        _ = try await tablet.start(205, next: "t1")
        _ = try await tablet.exchange("")
        _ = try await tablet.start(200, last: "t1", next: "t2")
        _ = try await tablet.exchange(Snippet.item("Replace", luid: "c1", data: card("20260301T000000Z", "+472")))
        // The phone's change is older than the tablet's: the server keeps the tablet's and sends it back.
        _ = try await phone.start(200, last: "1", next: "2")
        let (back, _, _) = try await phone.exchange(Snippet.item("Replace", luid: "1", data: card("20260201T000000Z", "+473")))
        #expect(back.first?.data.contains("+472") == true)
        #expect(try SessionRecords(phone).liveItems().first?.contains("+472") == true)
    }
}
