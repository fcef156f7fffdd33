import Foundation
import Testing
@testable import DevWorkflow

@Suite struct CSVReaderTests {
    static func all(_ reader: CSVReader) throws -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    static func read(_ text: String, separator: Character = ",") throws -> [(line: Int, fields: [String])] {
        try all(CSVReader(string: text, separator: separator))
    }

    /// The same text read from a file in tiny chunks, so that every boundary case is crossed.
    static func readFromFile(_ text: String, chunkSize: Int) throws -> [(line: Int, fields: [String])] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return try all(CSVReader(readingFrom: handle, chunkSize: chunkSize))
    }

    static func same(_ a: [(line: Int, fields: [String])], _ b: [(line: Int, fields: [String])]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.line == $1.line && $0.fields == $1.fields }
    }

    @Test func plainRecordsWithCRLF() throws {
        let records = try Self.read("a,b,c\r\n1,2,3\r\n")
        #expect(records.map(\.line) == [1, 2])
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"]])
    }

    @Test func lineEndingsAndTheLastLine() throws {
        #expect(try Self.read("a\nb").map(\.fields) == [["a"], ["b"]])
        #expect(try Self.read("a\rb\r").map(\.fields) == [["a"], ["b"]])
        #expect(try Self.read("a,b,\n,\n").map(\.fields) == [["a", "b", ""], ["", ""]])
        #expect(try Self.read("").isEmpty)
        #expect(try Self.read("\u{FEFF}").isEmpty)
    }

    @Test func embeddedNewlinesKeepLineNumbers() throws {
        let text = "id,text\r\n1,\"two\r\nlines\"\r\n2,\"three\nlines\nhere\"\r\n3,plain\r\n"
        let records = try Self.read(text)
        #expect(records.map(\.line) == [1, 2, 4, 7])
        #expect(records[1].fields == ["1", "two\r\nlines"])
        #expect(records[2].fields == ["2", "three\nlines\nhere"])
        #expect(records[3].fields == ["3", "plain"])
    }

    @Test func quotesSeparatorsAndBlankLines() throws {
        let records = try Self.read("\"say \"\"hi\"\"\",\"a,b\",\"\"\n\nx;y\n")
        #expect(records.map(\.fields) == [["say \"hi\"", "a,b", ""], [], ["x;y"]])
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(try Self.read("\"a;b\";c\r\n", separator: ";").map(\.fields) == [["a;b", "c"]])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let records = try Self.read("\u{FEFF}name;sum\r\nõun;1,5\r\n", separator: ";")
        #expect(records.map(\.fields) == [["name", "sum"], ["õun", "1,5"]])
        #expect(records.first?.line == 1)
    }

    @Test func malformedInputNamesTheLine() {
        let cases = [
            ("a,b\nc,d\"e\n", "line 2: quote inside an unquoted field"),
            ("a\n\"open,\nstill open\n", "line 2: quoted field is never closed"),
            ("a\nb\n\"x\"y,z\n", "line 3: text after a closing quote"),
            ("ok\n\"multi\nline\" trailing\n", "line 3: text after a closing quote"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: WorkflowError.self) { try Self.read(text) }
            #expect(error?.code == .invalidData)
            #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
        }
        let bytes: [UInt8] = Array("a\nb,".utf8) + [0xC3, 0x28] + [0x0A]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: WorkflowError.self) {
            try Self.all(CSVReader(readingFrom: try FileHandle(forReadingFrom: url)))
        }
        #expect(error?.message.hasPrefix("line 2: text is not valid UTF-8") == true)
    }

    @Test func chunkBoundariesDoNotMatter() throws {
        let text = "\u{FEFF}id;text\r\n1;\"two\r\nlines; \"\"quoted\"\"\"\r\n\r\n2;õäöüšž\r\n3;\"\"\r\n4;last"
        let expected = try Self.read(text, separator: ";")
        for size in [1, 2, 3, 5, 64] {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("chunk-\(UUID().uuidString).csv")
            try Data(text.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let handle = try FileHandle(forReadingFrom: url)
            let records = try Self.all(CSVReader(readingFrom: handle, separator: ";", chunkSize: size))
            try handle.close()
            #expect(Self.same(records, expected), "chunk size \(size)")
        }
        #expect(expected.map(\.line) == [1, 2, 4, 5, 6, 7])
    }

    @Test func readsAHundredThousandLinesInConstantMemory() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try FileHandle(forWritingTo: url)
        var block = ""
        for index in 0..<100_000 {
            block += "\(index),\"text with, comma \"\"\(index)\"\"\",\(index).50\r\n"
            if index % 10_000 == 9_999 { try writer.write(contentsOf: Data(block.utf8)); block = "" }
        }
        try writer.close()
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let reader = CSVReader(readingFrom: handle)
        var count = 0
        var last: (line: Int, fields: [String])?
        while let record = try reader.next() {
            count += 1
            last = record
        }
        #expect(count == 100_000)
        #expect(last?.line == 100_000)
        #expect(last?.fields == ["99999", "text with, comma \"99999\"", "99999.50"])
        #expect(reader.peakBufferedBytes < 70_000)
    }
}
