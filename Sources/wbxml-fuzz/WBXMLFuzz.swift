// The WBXML decoder's fuzz target.
//
// libFuzzer build (what CI runs, for a bounded time):
//   swift build --scratch-path .build-fuzz --product wbxml-fuzz -Xswiftc -sanitize=fuzzer \
//     -Xswiftc -parse-as-library -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
//   .build-fuzz/debug/wbxml-fuzz -max_total_time=60 Tests/Fixtures/wbxml
// Plain build: replays the files named on the command line through the same entry point.
import WBXML

/// Decodes the input; whatever decodes must also render as XML and encode again.
func exercise(_ bytes: [UInt8]) {
    guard let document = try? WBXMLDecoder().decode(bytes) else { return }
    _ = XMLRenderer().render(document)
    if let encoded = try? WBXMLEncoder().encode(document) {
        // Our own output must always decode.
        guard (try? WBXMLDecoder().decode(encoded)) != nil else { fatalError("re-encoded document does not decode") }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    exercise(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM names an executable's entry point after its module and links it in; libFuzzer
/// brings its own `main`, and this one runs the same driver should it be called.
@_cdecl("wbxml_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        exercise(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
#else
import Foundation

@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("wbxml-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            exercise(Array(data))
        }
    }
}
#endif
