import Testing
@testable import DevWorkflow

@Suite struct ReplyTokenTests {
    static let secret = Array("a secret the database keeps, 32+ bytes long".utf8)

    @Test func madeAndVerified() throws {
        let address = ReplyToken(request: "VOLIS-12", recipient: "mari").address(secret: Self.secret, domain: "devworkflow.example")
        #expect(address.hasPrefix("reply+volis-12.mari."))
        #expect(address.hasSuffix("@devworkflow.example"))
        let code = address.dropFirst("reply+volis-12.mari.".count).prefix { $0 != "@" }
        #expect(code.count == 16 && code.allSatisfy { $0.isLowercase || $0.isNumber })
        #expect(address.split(separator: "@")[0].count <= 64, "RFC 5321's limit for a local part")
        let token = try ReplyToken(verifying: address, secret: Self.secret)
        #expect(token == ReplyToken(request: "volis-12", recipient: "MARI"))
        #expect(token.request == "volis-12" && token.recipient == "mari")
    }

    @Test func caseChangesOnTheWayDoNotMatter() throws {
        let address = ReplyToken(request: "VOLIS-12", recipient: "ACME").address(secret: Self.secret, domain: "devworkflow.example")
        #expect(try ReplyToken(verifying: address.uppercased(), secret: Self.secret) == ReplyToken(request: "volis-12", recipient: "acme"))
        #expect(try ReplyToken(verifying: "  " + address + " ", secret: Self.secret).recipient == "acme")
    }

    @Test func charactersOutsideTheSafeSetAreEscaped() throws {
        let token = ReplyToken(request: "ÕIGUS-7", recipient: "mari.maasikas@acme")
        let local = token.localPart(secret: Self.secret)
        #expect(local.hasPrefix("reply+=c3=b5igus-7.mari=2emaasikas=40acme."))
        #expect(local.allSatisfy { $0.isASCII && !$0.isUppercase })
        #expect(try ReplyToken(verifying: local, secret: Self.secret) == token)
    }

    @Test func forgeriesAreRefused() throws {
        let address = ReplyToken(request: "VOLIS-12", recipient: "mari").address(secret: Self.secret, domain: "d.example")
        let code = String(address.split(separator: ".")[2].prefix(16))
        let forged = [
            address.replacingOccurrences(of: "volis-12", with: "volis-13"),      // another request
            address.replacingOccurrences(of: ".mari.", with: ".jyri."),          // another person
            ReplyToken(request: "VOLIS-12", recipient: "mari").address(secret: Array("another secret".utf8), domain: "d.example"),
            address.replacingOccurrences(of: code, with: String(code.dropLast()) + (code.last == "a" ? "b" : "a")),
        ]
        for address in forged {
            let error = #expect(throws: WorkflowError.self) { try ReplyToken(verifying: address, secret: Self.secret) }
            #expect(error?.text.key == "error.reply_token_signature", "\(address)")
        }
        for malformed in ["mari@acme.example", "reply+volis-12.mari@d.example", "reply+volis-12.mari.abc!@d.example", "reply+.mari.aaaa@d",
                          "reply+a=zz.b.aaaa@d", "reply+volis-12.mari.\(code).x@d", "reply+volis-12.mari.\(code)1@d"] {
            let error = #expect(throws: WorkflowError.self) { try ReplyToken(verifying: malformed, secret: Self.secret) }
            #expect(error?.text.key == "error.reply_token_format" || error?.text.key == "error.reply_token_signature", "\(malformed)")
        }
    }

    @Test func foundAmongAMessagesRecipients() throws {
        let good = ReplyToken(request: "VOLIS-12", recipient: "mari").address(secret: Self.secret, domain: "devworkflow.example")
        func message(_ headers: [String]) throws -> MailMessage { try MailMessage(parsing: MailSamples.message(["From: mari@acme.example"] + headers + ["", "x"])) }
        #expect(try ReplyToken.find(in: message(["To: DevWorkflow <\(good)>"]), secret: Self.secret) == ReplyToken(request: "volis-12", recipient: "mari"))
        #expect(try ReplyToken.find(in: message(["To: someone@else.example", "Delivered-To: \(good)"]), secret: Self.secret, domain: "DevWorkflow.example")?.recipient == "mari")
        #expect(try ReplyToken.find(in: message(["To: \(good)"]), secret: Self.secret, domain: "other.example") == nil)
        #expect(try ReplyToken.find(in: message(["To: someone@else.example"]), secret: Self.secret) == nil)
        let forged = good.replacingOccurrences(of: "volis-12", with: "volis-13")
        let error = #expect(throws: WorkflowError.self) { try ReplyToken.find(in: message(["To: \(forged)"]), secret: Self.secret) }
        #expect(error?.text.key == "error.reply_token_signature")
        // One valid address among forged ones is found.
        #expect(try ReplyToken.find(in: message(["To: \(forged), \(good)"]), secret: Self.secret)?.request == "volis-12")
    }
}
