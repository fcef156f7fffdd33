import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ReportSinkTests {
    /// A fresh empty folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func contents(_ url: URL) -> String? {
        FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func commitCreatesTheFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.csv")
        let sink = try AtomicFileSink(path: target.path, bufferSize: 16)
        let text = String(repeating: "õäöü,1234.50\r\n", count: 100)
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty { try sink.write(line + "\r\n") }
        #expect(Self.contents(target) == nil)
        #expect(try Self.names(folder).count == 1)  // only the hidden temporary file
        try sink.commit()
        #expect(Self.contents(target) == text)
        #expect(try Self.names(folder) == ["report.csv"])
    }

    @Test func commitReplacesAtomicallyAndKeepsPermissions() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.html")
        try Data("old".utf8).write(to: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target.path)
        let sink = try AtomicFileSink(path: target.path)
        try sink.write(String(repeating: "new ", count: 50_000))
        #expect(Self.contents(target) == "old")  // a reader meanwhile sees the whole old file
        try sink.commit()
        #expect(Self.contents(target) == String(repeating: "new ", count: 50_000))
        #expect(try Self.names(folder) == ["report.html"])
        let permissions = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
    }

    @Test func discardLeavesTheOldFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.json")
        try Data("old".utf8).write(to: target)
        let sink = try AtomicFileSink(path: target.path, bufferSize: 4)
        try sink.write("half a report")
        sink.discard()
        sink.discard()
        #expect(Self.contents(target) == "old")
        #expect(try Self.names(folder) == ["report.json"])
    }

    @Test func droppingAnUncommittedSinkRemovesItsTemporaryFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let sink = try AtomicFileSink(path: folder.appendingPathComponent("x.md").path)
            try sink.write("abandoned")
        }
        #expect(try Self.names(folder) == [])
    }

    @Test func aRendererFailingHalfwayLeavesNothing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.json")
        let sink = try AtomicFileSink(path: target.path)
        let renderer = JSONRenderer(sink: sink)
        do {
            try renderer.begin(ReportFixture.header)
            try renderer.beginSection(id: "numbers", title: "Numbers", columns: [ReportColumn("value", "Value", .decimal)])
            try renderer.row([.decimal("1.5")])
            try renderer.row([.decimal("NaN")])
            try sink.commit()
            Issue.record("a malformed decimal should throw")
        } catch {
            sink.discard()
        }
        #expect(try Self.names(folder) == [])
    }

    @Test func unwritableFolderIsAnIOError() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths = [folder.appendingPathComponent("missing/report.csv").path]
        let file = folder.appendingPathComponent("a-file")
        try Data().write(to: file)
        paths.append(file.appendingPathComponent("report.csv").path)
        if geteuid() != 0 {  // root writes anywhere; the permission check only means something for others
            let locked = folder.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
            paths.append(locked.appendingPathComponent("report.csv").path)
        }
        for path in paths {
            let error = #expect(throws: WorkflowError.self) { try AtomicFileSink(path: path) }
            #expect(error?.code == .ioError)
            #expect(error?.message.hasPrefix("cannot write \(path): ") == true)
            #expect(error?.message.contains("\n") == false)
        }
    }
}
