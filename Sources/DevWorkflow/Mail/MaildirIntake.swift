import Foundation

/// A Maildir's new mail handed to the gateway one message at a time (`workflowd --maildir DIR`).
///
/// Each file of `new/` is read and handed in; an applied message (or a copy of one applied before)
/// is moved to `cur/` (flagged seen, `:2,S`), any other to `failed/` with a `.reason` file beside
/// it saying why. When the database cannot take a message now the file stays in `new/` and the
/// pass stops, to be tried again. `tmp/` is the delivering MTA's and is left alone. One daemon
/// per Maildir: a message is renamed only after the database has recorded it, and the database
/// applies a Message-ID at most once, so a crash in between leaves a file that the next pass
/// finds already handled.
public struct MaildirIntake {
    /// What a pass did.
    public struct PassResult: Sendable, Equatable {
        public var applied = 0
        public var notApplied = 0
    }

    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Hands in every message of `new/`, oldest name first; `report` hears of each. Throws when
    /// the database is unavailable (the message in hand stays in `new/`) or a folder cannot be used.
    public func pass(_ gateway: MailGateway, report: (String, MailGateway.Result?, WorkflowError?) -> Void) throws -> PassResult {
        let fm = FileManager.default
        for folder in ["cur", "failed"] {
            do { try fm.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true) } catch {
                throw Files.cannotWrite("\(directory)/\(folder)", Files.posixCode(of: error))
            }
        }
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: "\(directory)/new").filter { !$0.hasPrefix(".") }.sorted() } catch {
            throw Files.cannotRead("\(directory)/new", ENOENT)
        }
        var result = PassResult()
        for name in names {
            let path = "\(directory)/new/\(name)"
            guard let data = fm.contents(atPath: path) else { continue }  // taken away meanwhile
            do {
                let outcome = try gateway.receive(Array(data))
                report(name, outcome, nil)
                if outcome.wasApplied {
                    try move(path, to: "\(directory)/cur/\(name.contains(":") ? name : name + ":2,S")")
                    result.applied += 1
                } else {
                    let why = outcome.reason.map { $0.text(.en) } ?? outcome.outcome.rawValue
                    try fail(path, name, reason: "\(outcome.outcome.rawValue): \(why)\n\(outcome.json.text)\n")
                    result.notApplied += 1
                }
            } catch let error as WorkflowError where error.code == .invalidData {
                // Not a message at all: nobody to answer, nothing recorded.
                report(name, nil, error)
                try fail(path, name, reason: "unreadable: \(error.message)\n")
                result.notApplied += 1
            }
        }
        return result
    }

    private func fail(_ path: String, _ name: String, reason: String) throws {
        let target = "\(directory)/failed/\(name)"
        guard FileManager.default.createFile(atPath: target + ".reason", contents: Data(reason.utf8)) else {
            throw Files.cannotWrite(target + ".reason", errno)
        }
        try move(path, to: target)
    }

    private func move(_ path: String, to target: String) throws {
        guard rename(path, target) == 0 else { throw Files.cannotWrite(target, errno) }
    }
}
