import Foundation
@testable import DevWorkflow

/// Replies shaped as real mail clients write them: headers, encodings, quoting and signatures as
/// Thunderbird, Gmail, Outlook and the iPhone's Mail send them, with Estonian letters.
enum MailSamples {
    /// Lines joined with CRLF, as SMTP delivers a message.
    static func message(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\r\n") + "\r\n").utf8) }

    /// Base64 in lines of 76 characters.
    static func base64(_ bytes: [UInt8]) -> [String] {
        Data(bytes).base64EncodedString(options: .lineLength76Characters).components(separatedBy: "\r\n")
    }

    /// Quoted-printable lines of at most 76 characters, soft breaks wherever the width ends (in the
    /// middle of a UTF-8 character's bytes too, as encoders do).
    static func quotedPrintable(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var current = ""
            for (index, byte) in line.enumerated() {
                let last = index == line.count - 1
                let plain = (33...126).contains(byte) && byte != UInt8(ascii: "=") || (byte == 32 && !last)
                let piece = plain ? String(UnicodeScalar(byte)) : "=" + String(format: "%02X", byte)
                if current.count + piece.count > 75 { lines.append(current + "="); current = "" }
                current += piece
            }
            lines.append(current)
        }
        return lines
    }

    /// The bytes of a text in an 8-bit charset (each character looked up in the charset's table).
    static func bytes(_ text: String, in charset: Charset) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            if scalar.isASCII { return UInt8(scalar.value) }
            return UInt8((0x80...0xFF).first { charset.decode([UInt8($0)]) == String(scalar) }!)
        }
    }

    static let ourMessageID = "3f2a9c0d5e8b47f1a6c2d9e0b7f4a1c3@devworkflow"

    /// The text of the notification a vendor answers, as quoted below.
    static let quoted = ["Tere, Mari!", "", "Arendustellimus VOLIS-12 „Tööpäevade arvestus” ootab Teie hinnapakkumist.",
                         "Hinnapakkumise tähtaeg: 09.12.2026"]

    // MARK: Thunderbird: plain text, 8bit UTF-8, a quote command, Estonian attribution, signature

    static let thunderbirdText = """
        pakkumine: 12,5 h; 1 500,00 €; 20.12.2026

        Tere!

        Jõuame tööga valmis enne jõule, arvestatud on ka testimine.

        Mari Maasikas kirjutas 02.12.2026 09:00:
        > Tere, Mari!
        >
        > Arendustellimus VOLIS-12 „Tööpäevade arvestus” ootab Teie hinnapakkumist.
        > Hinnapakkumise tähtaeg: 09.12.2026
        -- 
        Mari Maasikas
        ACME OÜ
        """

    static let thunderbird = message([
        "Return-Path: <mari@acme.example>",
        "Authentication-Results: mx.devworkflow.example; dkim=pass (2048-bit key; unprotected) header.d=acme.example",
        "\theader.i=@acme.example header.b=\"aBcD1234\"; spf=pass (mx.devworkflow.example: domain of",
        "\tmari@acme.example designates 192.0.2.10 as permitted sender) smtp.mailfrom=mari@acme.example",
        "Message-ID: <b7c1d2e3-4f50-6a7b-8c9d-0e1f2a3b4c5d@acme.example>",
        "Date: Thu, 3 Dec 2026 10:15:00 +0200",
        "MIME-Version: 1.0",
        "User-Agent: Mozilla Thunderbird",
        "Subject: Re: [VOLIS-12] =?UTF-8?Q?Hinnapakkumise_p=c3=a4ring=3a_T=c3=b6=c3=b6p=c3=a4evade?=",
        " =?UTF-8?Q?_arvestus?=",
        "Content-Language: et",
        "To: DevWorkflow <reply+volis-12.mari.abcdefghijklmnop@devworkflow.example>",
        "References: <\(ourMessageID)>",
        "From: Mari Maasikas <mari@acme.example>",
        "In-Reply-To: <\(ourMessageID)>",
        "Content-Type: text/plain; charset=UTF-8; format=flowed",
        "Content-Transfer-Encoding: 8bit",
        "",
    ] + thunderbirdText.components(separatedBy: "\n"))

    // MARK: Gmail: multipart/alternative in quoted-printable, a delivery, a wrapped attribution

    static let gmailPlain = """
        deliver: Paigaldatud testkeskkonda, kasutusjuhend on lisatud. Palun vaadake üle ja andke teada, kui midagi on puudu – õige versioon on 2.4.1.

        On Wed, Dec 2, 2026 at 9:00 AM DevWorkflow <
        reply+volis-12.jyri.abcdefghijklmnop@devworkflow.example> wrote:

        > Hello Jüri,
        >
        > order ORD-2026-0007 for VOLIS-12 is waiting for its delivery.
        >

        -- 
        Jüri Tõnisson
        BETA AS | +372 5555 0000
        """

    static let gmailHTML = """
        <div dir="ltr">deliver: Paigaldatud testkeskkonda, kasutusjuhend on lisatud. Palun vaadake üle ja andke teada, kui midagi on puudu – õige versioon on 2.4.1.<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature">Jüri Tõnisson<br>BETA AS | +372 5555 0000</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Wed, Dec 2, 2026 at 9:00 AM DevWorkflow &lt;<a href="mailto:reply+volis-12.jyri.abcdefghijklmnop@devworkflow.example">reply+volis-12.jyri.abcdefghijklmnop@devworkflow.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Hello Jüri,<br><br>order ORD-2026-0007 for VOLIS-12 is waiting for its delivery.<br></blockquote></div>
        """

    static let gmail = message([
        "Delivered-To: reply+volis-12.jyri.abcdefghijklmnop@devworkflow.example",
        "Authentication-Results: mx.devworkflow.example;",
        "       dkim=pass header.i=@gmail.com header.s=20230601 header.b=Xy12Ab34;",
        "       spf=pass (mx.devworkflow.example: domain of jyri.tonisson@gmail.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=jyri.tonisson@gmail.com;",
        "       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com",
        "MIME-Version: 1.0",
        "References: <\(ourMessageID)>",
        "In-Reply-To: <\(ourMessageID)>",
        "From: =?UTF-8?B?SsO8cmkgVMO1bmlzc29u?= <jyri.tonisson@gmail.com>",
        "Date: Thu, 3 Dec 2026 11:02:41 +0200",
        "Message-ID: <CAF=k4x1Q9nYtUu8pB0nG2a+Vw6VZ0y8=Yk5hT0mL@mail.gmail.com>",
        "Subject: Re: [VOLIS-12] =?UTF-8?B?VGVsbGltdXM6IFTDtsO2cMOkZXZhZGUgYXJ2ZXN0dXM=?=",
        "To: DevWorkflow <reply+volis-12.jyri.abcdefghijklmnop@devworkflow.example>",
        "Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3d4e5f60718\"",
        "",
        "--000000000000a1b2c3d4e5f60718",
        "Content-Type: text/plain; charset=\"UTF-8\"",
        "Content-Transfer-Encoding: quoted-printable",
        "",
    ] + quotedPrintable(Array(gmailPlain.utf8)) + [
        "",
        "--000000000000a1b2c3d4e5f60718",
        "Content-Type: text/html; charset=\"UTF-8\"",
        "Content-Transfer-Encoding: quoted-printable",
        "",
    ] + quotedPrintable(Array(gmailHTML.utf8)) + [
        "",
        "--000000000000a1b2c3d4e5f60718--",
    ])

    // MARK: Outlook: mixed + alternative in Windows-1257, an Outlook quoted block, a PDF

    static let outlookPlain = """
        Tere,

        kas tellimuse tähtaega saab pikendada ühe nädala võrra? Šveitsi partneri tõttu ootame žürii otsust.

        Lugupidamisega
        Õie Šõmer

        ________________________________
        From: DevWorkflow <reply+volis-12.acme.abcdefghijklmnop@devworkflow.example>
        Sent: Wednesday, December 2, 2026 9:00 AM
        To: Õie Šõmer <oie@acme.example>
        Subject: [VOLIS-12] Tellimus: Tööpäevade arvestus

        Tere, Õie!
        Arendustellimus VOLIS-12 on tellitud.
        """

    static let outlookPDF: [UInt8] = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8) + (0..<600).map { UInt8($0 % 251) }

    static let outlook = message([
        "Authentication-Results: mx.devworkflow.example; dkim=pass header.d=acme.example; spf=pass smtp.mailfrom=acme.example",
        "From: =?windows-1257?Q?=D5ie_=D0=F5mer?= <Oie@ACME.example>",
        "To: DevWorkflow <reply+volis-12.acme.abcdefghijklmnop@devworkflow.example>",
        "CC: \"Maasikas, Mari\" <mari@acme.example>",
        "Subject: RE: [VOLIS-12] Tellimus: =?windows-1257?Q?T=F6=F6p=E4evade_arvestus?=",
        "Thread-Topic: [VOLIS-12] Tellimus: =?windows-1257?Q?T=F6=F6p=E4evade_arvestus?=",
        "Thread-Index: AQHbQ0x7yMi0Pq2bS0uR9g==",
        "Date: Thu, 3 Dec 2026 09:30:12 +0000",
        "Message-ID: <AM0PR07MB4321ABCDEF0123456789ABCDEF0@AM0PR07MB4321.eurprd07.prod.outlook.com>",
        "References: <\(ourMessageID)>",
        "In-Reply-To: <\(ourMessageID)>",
        "Accept-Language: et-EE, en-US",
        "Content-Language: et-EE",
        "X-MS-Has-Attach: yes",
        "Content-Type: multipart/mixed;",
        "\tboundary=\"_004_AM0PR07MB4321ABCDEF_\"",
        "MIME-Version: 1.0",
        "",
        "--_004_AM0PR07MB4321ABCDEF_",
        "Content-Type: multipart/alternative;",
        "\tboundary=\"_000_AM0PR07MB4321ABCDEF_\"",
        "",
        "--_000_AM0PR07MB4321ABCDEF_",
        "Content-Type: text/plain; charset=\"windows-1257\"",
        "Content-Transfer-Encoding: quoted-printable",
        "",
    ] + quotedPrintable(bytes(outlookPlain, in: .windows1257)) + [
        "",
        "--_000_AM0PR07MB4321ABCDEF_",
        "Content-Type: text/html; charset=\"windows-1257\"",
        "Content-Transfer-Encoding: quoted-printable",
        "",
    ] + quotedPrintable(bytes("<html><body><p>Tere,</p><p>kas tellimuse t\u{E4}htaega saab pikendada?</p></body></html>", in: .windows1257)) + [
        "",
        "--_000_AM0PR07MB4321ABCDEF_--",
        "",
        "--_004_AM0PR07MB4321ABCDEF_",
        "Content-Type: application/pdf; name=\"=?utf-8?B?UMO1aGlqb29uaXMgdsO1cmRsdXMucGRm?=\"",
        "Content-Description: =?utf-8?B?UMO1aGlqb29uaXMgdsO1cmRsdXMucGRm?=",
        "Content-Disposition: attachment;",
        "\tfilename=\"=?utf-8?B?UMO1aGlqb29uaXMgdsO1cmRsdXMucGRm?=\"; size=700;",
        "\tcreation-date=\"Thu, 03 Dec 2026 09:29:00 GMT\"",
        "Content-Transfer-Encoding: base64",
        "",
    ] + base64(outlookPDF) + [
        "",
        "--_004_AM0PR07MB4321ABCDEF_--",
        "",
    ])

    // MARK: iPhone-like HTML only, ISO-8859-15 in base64

    static let iphoneHTML = """
        <html><head><meta http-equiv="content-type" content="text/html; charset=iso-8859-15"><style>p { margin: 0 }</style></head><body dir="auto">\
        Kas &quot;Šveitsi&quot; moodul on ka hinnas?&nbsp;Küsin, sest žürii &amp; eelarve.<div><br></div>\
        <div dir="ltr">Saadetud minu iPhone'ist</div><div dir="ltr"><br><blockquote type="cite">2. dets 2026 kell 09:00 kirjutas DevWorkflow:<br><br></blockquote></div>\
        <blockquote type="cite"><div dir="ltr">Tere, Mari!<br>Hinnapakkumise t&auml;htaeg: 09.12.2026</div></blockquote></body></html>
        """

    static let iphone = message([
        "Content-Type: text/html; charset=iso-8859-15",
        "Content-Transfer-Encoding: base64",
        "Mime-Version: 1.0 (1.0)",
        "Subject: Re: [VOLIS-12] =?iso-8859-15?Q?K=FCsimus?=",
        "From: Mari Maasikas <mari@acme.example>",
        "In-Reply-To: <\(ourMessageID)>",
        "Date: Thu, 3 Dec 2026 12:01:00 +0200",
        "To: reply+volis-12.mari.abcdefghijklmnop@devworkflow.example",
        "Message-Id: <5E1C2D3F-9A8B-4C7D-8E6F-0A1B2C3D4E5F@acme.example>",
        "X-Mailer: iPhone Mail (22B91)",
        "",
    ] + base64(bytes(iphoneHTML, in: .iso885915)))

    // MARK: Files: RFC 2231 names (continued too), 8-bit text in ISO-8859-15, nested related/alternative

    static let spreadsheet: [UInt8] = (0..<2000).map { UInt8(($0 * 7 + 3) % 256) }
    static let notes = "Märkused: õ ä ö ü š ž € - ISO-8859-15\n"
    static let logo: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<300).map { UInt8($0 % 256) }

    static let attachments = message([
        "From: \"Tõnisson, Jüri (BETA)\" <jyri@beta.example>",
        "To: reply+volis-12.beta.abcdefghijklmnop@devworkflow.example",
        "Subject: =?UTF-8?Q?L=C3=A4hteandmed_ja_m=C3=A4rkused?=",
        "Message-ID: <attachments-1@beta.example>",
        "References: <older@devworkflow> <\(ourMessageID)>",
        "In-Reply-To: <\(ourMessageID)>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"outer\"",
        "",
        "This is a multi-part message in MIME format.",
        "--outer",
        "Content-Type: multipart/related; boundary=\"related\"; type=\"multipart/alternative\"",
        "",
        "--related",
        "Content-Type: multipart/alternative; boundary=\"alt\"",
        "",
        "--alt",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
    ] + base64(Array("Lisatud on lähteandmed ja märkused.\nLogo on allkirjas.\n".utf8)) + [
        "--alt",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>Lisatud on lähteandmed ja märkused.</p><img src=\"cid:logo@beta.example\">",
        "--alt--",
        "--related",
        "Content-Type: image/png; name=\"logo.png\"",
        "Content-Disposition: inline; filename=\"logo.png\"",
        "Content-ID: <logo@beta.example>",
        "Content-Transfer-Encoding: base64",
        "",
    ] + base64(logo) + [
        "--related--",
        "--outer",
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition: attachment; filename*=UTF-8''Tellimuse%20l%C3%A4hteandmed.xlsx",
        "Content-Transfer-Encoding: base64",
        "",
    ] + base64(spreadsheet) + [
        "--outer",
        "Content-Type: text/plain; charset=iso-8859-15",
        "Content-Disposition: attachment;",
        " filename*0*=iso-8859-15''M%E4rkused%20%FC%20;",
        " filename*1*=%A8%B8%20pikk%20nimi;",
        " filename*2=\".txt\"",
        "Content-Transfer-Encoding: 8bit",
        "",
    ]) + bytes(notes.replacingOccurrences(of: "\n", with: "\r\n"), in: .iso885915) + message([
        "--outer--",
        "",
    ])
}
