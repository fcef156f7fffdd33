import Foundation
import Testing
@testable import DevWorkflow

@Suite struct SubprocessTests {
    /// 10 MB through `cat`: written while its output is read. Written first and read after, both
    /// sides would block on a full pipe for ever (the timeout turns that into a failure).
    @Test func tenMegabytesGoInAndComeBackOut() throws {
        let line = String(repeating: "0123456789abcdef", count: 4) + "\n"
        let input = String(repeating: line, count: 10_000_000 / line.utf8.count)
        let output = try Subprocess.run("/bin/cat", [], input: input, timeout: 60)
        #expect(output.status == 0)
        #expect(output.stdout.utf8.count == input.utf8.count)
        #expect(output.stdout == input)
    }

    @Test func aChildThatNeverEndsIsKilledAtTheTimeout() throws {
        let started = Date()
        do {
            _ = try Subprocess.run("/bin/sleep", ["600"], timeout: 0.5)
            Issue.record("sleep 600 returned")
        } catch let error as WorkflowError {
            #expect(error.code == .unavailable)
            #expect(error.message == "/bin/sleep did not finish within 0.5 seconds and was killed")
        }
        #expect(Date().timeIntervalSince(started) < 10)
        // The child is gone (reaped): no sleep 600 of ours is left.
        let left = try Subprocess.run("/usr/bin/pgrep", ["-P", String(getpid()), "-f", "sleep 600"], timeout: 10)
        #expect(left.stdout.isEmpty)
    }

    @Test func aChildThatStopsReadingItsInputFailsAloneWithoutKillingUs() throws {
        let output = try Subprocess.run("/usr/bin/head", ["-c", "3"], input: String(repeating: "x", count: 1_000_000), timeout: 30)
        #expect(output.status == 0)
        #expect(output.stdout == "xxx")
    }

    /// A pipe this process holds (here made by hand, as another thread's run would have it open)
    /// does not reach a child spawned meanwhile: its descriptors are close-on-exec.
    @Test func pipesDoNotLeakIntoOtherChildren() throws {
        let held = try Subprocess.pipe()
        defer { close(held.read); close(held.write) }
        #expect(fcntl(held.read, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(held.write, F_GETFD) & FD_CLOEXEC != 0)
        #expect(held.read >= 3 && held.write >= 3)
        let listing = try Subprocess.run("/bin/ls", ["/proc/self/fd"], timeout: 30)
        let open = Set(listing.stdout.split(separator: "\n").compactMap { Int32($0) })
        #expect(open.isSuperset(of: [0, 1, 2]))
        #expect(!open.contains(held.read) && !open.contains(held.write), "\(open)")
    }

    @Test func aProgramThatCannotRunSaysWhy() {
        #expect(throws: WorkflowError.self) { try Subprocess.run("/nonexistent/program", []) }
        do {
            _ = try Subprocess.run("/nonexistent/program", [])
        } catch let error as WorkflowError {
            #expect(error.message == "cannot run /nonexistent/program: No such file or directory")
        } catch {
            Issue.record("\(error)")
        }
    }
}
