import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ProcessEnvironmentTests {
    /// workflowctl reads its environment from `environ` itself: the same variables as
    /// Foundation's, and a value may hold `=`.
    @Test func readsWhatFoundationReadsAndValuesWithEqualsSigns() {
        let name = "DEVWORKFLOW_ENVIRONMENT_TEST_\(getpid())"
        setenv(name, "a=b=c", 1)
        defer { unsetenv(name) }
        let ours = ProcessEnvironment.current()
        #expect(ours[name] == "a=b=c")
        #expect(ProcessEnvironment.value(name) == "a=b=c")
        #expect(ProcessEnvironment.value(name + "_UNSET") == nil)
        #expect(ours["PATH"] == String(cString: getenv("PATH")))
        #expect(ours == ProcessInfo.processInfo.environment)
    }
}
