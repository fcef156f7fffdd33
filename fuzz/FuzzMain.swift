// The libFuzzer entry points for the bad-input targets of issue 7 (cli, csv, date, money).
//
// Not part of the Swift package: scripts/reliability.d/30-fuzz compiles this file together with
// Sources/DevWorkflow and Tests/DevWorkflowTests/Reliability/BadInputProbes.swift into one module,
// with `-sanitize=fuzzer,address -D FUZZING`. The probe (shared with the CI replay test) decides
// what is wrong; this file only turns a violation into an abort, which libFuzzer saves as a crash.
import Foundation

nonisolated(unsafe) var fuzzTarget = ""

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    fuzzTarget = ProcessInfo.processInfo.environment["DEVWORKFLOW_FUZZ_TARGET"] ?? ""
    guard BadInputProbe.targets.contains(fuzzTarget) else {
        fputs("set DEVWORKFLOW_FUZZ_TARGET to one of \(BadInputProbe.targets.joined(separator: ", "))\n", stderr)
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let result = BadInputProbe.run(fuzzTarget, bytes)
    if !result.violations.isEmpty {
        for violation in result.violations { fputs("VIOLATION \(fuzzTarget): \(violation)\n", stderr) }
        abort()
    }
    return 0
}
