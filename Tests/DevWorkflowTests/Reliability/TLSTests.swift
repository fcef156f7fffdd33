import Foundation
import Testing
@testable import DevWorkflow

/// Issue 7, item 6 in CI: workflowctl and workflowd reach a TLS-only server with
/// `sslmode=verify-full` against a local CA; a host name the certificate does not name is refused
/// with exit 69 and one line. `scripts/reliability.d/60-tls` covers the wider set (wrong CA,
/// no CA, plaintext, a server presenting another name's certificate, SCRAM passwords).
@Suite struct TLSTests {
    @Test func verifyFullWorksAndAWrongHostNameIsRefused() throws {
        let work = (ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? NSTemporaryDirectory()) + "/tls-\(UUID().uuidString.prefix(8))"
        let cluster = EmbeddedCluster(directory: work + "/cluster")
        defer {
            _ = try? cluster.stop()
            try? FileManager.default.removeItem(atPath: work)
        }
        try cluster.start(trust: true)
        let pki = work + "/pki"
        try FileManager.default.createDirectory(atPath: pki, withIntermediateDirectories: true)
        try Self.makeCertificates(in: pki)

        // The server's files belong to its user, the key readable by it alone.
        for file in ["server.crt", "server.key"] {
            let target = cluster.dataDirectory + "/" + file
            try FileManager.default.copyItem(atPath: pki + "/" + file, toPath: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            if getuid() == 0, let owner = getpwnam("postgres") { chown(target, owner.pointee.pw_uid, owner.pointee.pw_gid) }
        }
        // A port of this process's own in the infra range, so parallel runs do not meet.
        let port = 56250 + Int(getpid() % 40)
        try Self.append(cluster.dataDirectory + "/postgresql.conf", """

            listen_addresses = '127.0.0.1'
            port = \(port)
            ssl = on
            ssl_cert_file = 'server.crt'
            ssl_key_file = 'server.key'
            log_connections = on

            """)
        try Self.replace(cluster.dataDirectory + "/pg_hba.conf", """
            local     all all                trust
            hostssl   all all 127.0.0.1/32   trust
            hostnossl all all 0.0.0.0/0      reject

            """)
        let restart = try StandbyServer.asServerUser(try EmbeddedCluster.binary("pg_ctl"),
                                                     ["restart", "-D", cluster.dataDirectory, "-l", cluster.logFile, "-w", "-t", "60", "-m", "fast"])
        #expect(restart.status == 0, "\(restart.stderr) \(restart.stdout)")

        let common = "port=\(port) dbname=\(EmbeddedCluster.databaseName) user=\(EmbeddedCluster.currentUserName())"
        let good = "host=localhost \(common) sslmode=verify-full sslrootcert=\(pki)/ca.crt"
        let english = ["LANG": "en_US.UTF-8"]
        for arguments in [["db", "migrate"], ["request", "new", "--system", "VOLIS", "--title", "x"], ["db", "status"]] {
            // `request new` needs the system: added right after migrating.
            if arguments[1] == "new" {
                let added = try Binary.run("workflowctl", ["system", "add", "VOLIS", "--name", "Volikogu", "--database", good], environment: english)
                #expect(added.status == 0, "\(added.stderr)")
            }
            let result = try Binary.run("workflowctl", arguments + ["--database", good], environment: english)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        let report = try Binary.run("workflowctl", ["report", "status", "--format", "csv", "--database", good], environment: english)
        #expect(report.status == 0 && report.stdout.contains("VOLIS"), "\(report.stderr)")
        let daemon = try Binary.run("workflowd", ["--once", "--database", good, "--file", work + "/messages.jsonl"])
        #expect(daemon.status == 0, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("event=connected"))

        // The server says those were TLS connections.
        let ssl = try Connection(good).query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first!.decode(0, as: Bool.self)
        #expect(ssl)
        let log = (try? String(contentsOfFile: cluster.logFile, encoding: .utf8)) ?? ""
        #expect(log.contains("application_name=workflowctl SSL enabled"), "no TLS connection of workflowctl in the server log")
        #expect(log.contains("application_name=workflowd SSL enabled"), "no TLS connection of workflowd in the server log")

        // A name the certificate does not carry: refused before anything is sent.
        let wrongHost = try Binary.run("workflowctl", ["db", "status", "--database", "host=otherhost hostaddr=127.0.0.1 \(common) sslmode=verify-full sslrootcert=\(pki)/ca.crt"],
                                       environment: english)
        #expect(wrongHost.status == 69)
        #expect(wrongHost.stderr.hasPrefix("workflowctl: error: database unavailable"), "\(wrongHost.stderr)")
        #expect(wrongHost.stderr.contains("does not match host name \"otherhost\""), "\(wrongHost.stderr)")
        #expect(wrongHost.stderr.filter { $0 == "\n" }.count == 1)
        // Another CA's file: refused too.
        let wrongCA = try Binary.run("workflowctl", ["db", "status", "--database", "host=localhost \(common) sslmode=verify-full sslrootcert=\(pki)/other-ca.crt"],
                                     environment: english)
        #expect(wrongCA.status == 69)
        #expect(wrongCA.stderr.contains("certificate verify failed"), "\(wrongCA.stderr)")
        // No TLS at all: the server takes none.
        let plain = try Binary.run("workflowctl", ["db", "status", "--database", "host=localhost \(common) sslmode=disable"], environment: english)
        #expect(plain.status == 69)
        #expect(plain.stderr.contains("no encryption"), "\(plain.stderr)")
    }

    /// A CA, a server certificate it signs for localhost and 127.0.0.1, and an unrelated CA.
    static func makeCertificates(in folder: String) throws {
        guard let openssl = Subprocess.which("openssl") else { throw StandbyServer.Failure("openssl is not installed") }
        func run(_ arguments: [String]) throws {
            let result = try Subprocess.run(openssl, arguments)
            guard result.status == 0 else { throw StandbyServer.Failure("openssl \(arguments.first ?? ""): \(result.stderr)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, subject) in [("ca", "/CN=DevWorkflow test CA"), ("other-ca", "/CN=Another CA")] {
            try run(["req", "-x509", "-new"] + ec + ["-keyout", "\(folder)/\(name).key", "-out", "\(folder)/\(name).crt", "-days", "2",
                                                      "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                                                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        try run(["req", "-new"] + ec + ["-keyout", "\(folder)/server.key", "-out", "\(folder)/server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".write(toFile: "\(folder)/server.ext", atomically: true, encoding: .utf8)
        try run(["x509", "-req", "-in", "\(folder)/server.csr", "-CA", "\(folder)/ca.crt", "-CAkey", "\(folder)/ca.key", "-CAcreateserial",
                 "-out", "\(folder)/server.crt", "-days", "2", "-extfile", "\(folder)/server.ext"])
    }

    /// Appends to / replaces a file the server's user owns, keeping its owner.
    static func append(_ path: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    static func replace(_ path: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}
