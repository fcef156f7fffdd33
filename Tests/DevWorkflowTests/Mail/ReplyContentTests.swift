import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ReplyContentTests {
    static func quote(_ hours: String, _ price: Int64, _ date: String, remark: String = "") throws -> ReplyContent {
        .quote(QuoteFacts(hours: Decimal(string: hours)!, price: Money(cents: price), delivery: try LocalDate(parsing: date)), remark: remark)
    }

    @Test(arguments: [
        ("quote: 12 h; 1500.00; 2026-12-20", "12", 150_000, "2026-12-20"),
        ("pakkumine: 12 h; 1500,00; 20.12.2026", "12", 150_000, "2026-12-20"),
        ("Pakkumine: 12,5 h; 1 500,00 €; 20.12.2026", "12.5", 150_000, "2026-12-20"),
        ("QUOTE:12;1500;2026-12-20", "12", 150_000, "2026-12-20"),
        ("quote: 7,25h; 1\u{A0}250,50\u{A0}€; 1.2.2027", "7.25", 125_050, "2027-02-01"),
        ("quote: 0.5 hours; EUR 99.9; 2026-12-31;", "0.5", 9_990, "2026-12-31"),
        ("hinnapakkumine: 40 tundi; 1.500,00 eurot; 05.01.2027", "40", 150_000, "2027-01-05"),
        ("quote: 40 t; 12,345.67; 2027-01-05", "40", 1_234_567, "2027-01-05"),
        ("pakkumine : 1 h ; 1 000 000,00 € ; 31.12.2026", "1", 100_000_000, "2026-12-31"),
    ])
    func quotes(line: String, hours: String, cents: Int64, date: String) throws {
        #expect(try ReplyContent(parsing: line) == Self.quote(hours, cents, date))
    }

    @Test func hoursAreExactDecimals() throws {
        guard case let .quote(quote, _) = try ReplyContent(parsing: "quote: 12,35 h; 1,10; 2026-12-20") else { Issue.record("no quote"); return }
        #expect(quote.hours == Decimal(string: "12.35"))
        #expect("\(quote.hours)" == "12.35")
        #expect(quote.price == Money(cents: 110))
    }

    @Test func theLinesAfterACommandAreItsRemarkOrNote() throws {
        #expect(try ReplyContent(parsing: "pakkumine: 12 h; 1500,00; 20.12.2026\n\nHind sisaldab testimist.")
            == Self.quote("12", 150_000, "2026-12-20", remark: "Hind sisaldab testimist."))
        #expect(try ReplyContent(parsing: "Üle antud: paigaldatud testkeskkonda\nJuhend on lisatud.") == .deliver(note: "paigaldatud testkeskkonda\nJuhend on lisatud."))
        #expect(try ReplyContent(parsing: "deliver:") == .deliver(note: ""))
        #expect(try ReplyContent(parsing: "DELIVER: done") == .deliver(note: "done"))
        // Decomposed letters (as some Mac clients send them) are the same words.
        #expect(try ReplyContent(parsing: "U\u{308}le antud: valmis") == .deliver(note: "valmis"))
    }

    /// People open a reply with a greeting (the trial's Outlook reply: "Tere!", a blank line, the
    /// quote, a signature): the command is the line after it, and the greeting is not the remark.
    @Test func aGreetingBeforeTheCommandIsPassedOver() throws {
        #expect(try ReplyContent(parsing: "Tere!\n\npakkumine: 10 h; 1 000,00; 15.05.2027\n\nLugupidamisega\nPeeter")
            == Self.quote("10", 100_000, "2027-05-15", remark: "Lugupidamisega\nPeeter"))
        #expect(try ReplyContent(parsing: "Hello Mari,\nquote: 2 h; 150; 2027-01-10") == Self.quote("2", 15_000, "2027-01-10"))
        #expect(try ReplyContent(parsing: "Lugupeetud tooteomanik\n\nüle antud: paigaldatud") == .deliver(note: "paigaldatud"))
        #expect(try ReplyContent(parsing: "Good morning,\n\nDELIVER: done") == .deliver(note: "done"))
        // Only a greeting, and only one line of it: otherwise the whole text stays a comment.
        #expect(try ReplyContent(parsing: "Tere!\nKas tähtaega saab pikendada?") == .comment("Tere!\nKas tähtaega saab pikendada?"))
        #expect(try ReplyContent(parsing: "Thanks!\nquote: 2 h; 150; 2027-01-10") == .comment("Thanks!\nquote: 2 h; 150; 2027-01-10"))
        #expect(try ReplyContent(parsing: "Tere!\nTere!\nquote: 2 h; 150; 2027-01-10") == .comment("Tere!\nTere!\nquote: 2 h; 150; 2027-01-10"))
        // A greeting followed by a command that cannot be read is a mistake named, not a comment.
        let error = #expect(throws: WorkflowError.self) { try ReplyContent(parsing: "Tere!\n\npakkumine: 10 h; 1000") }
        #expect(error?.text.key == "error.reply_quote_format")
    }

    /// A quote's line that lost its colon (the trial's "pakkumine 10 h; 500; 20.12.2026") is a
    /// quote that cannot be read, not a comment stored in silence; a sentence that starts with the
    /// word stays a comment.
    @Test func aQuoteLineWithoutItsColonIsNamedNotStoredAsAComment() throws {
        for line in ["pakkumine 10 h; 500; 20.12.2026", "Quote 2 h; 150; 2027-01-10", "Tere!\nhinnapakkumine 1 h; 1; 2027-01-10"] {
            let error = #expect(throws: WorkflowError.self, "\(line)") { try ReplyContent(parsing: line) }
            #expect(error?.text.key == "error.reply_quote_format")
        }
        #expect(try ReplyContent(parsing: "Pakkumine tuleb homme") == .comment("Pakkumine tuleb homme"))
        #expect(try ReplyContent(parsing: "Quote me on that; thanks") == .comment("Quote me on that; thanks"), "no number after the word")
    }

    @Test func anythingElseIsAComment() throws {
        #expect(try ReplyContent(parsing: "Kas tähtaega saab pikendada?") == .comment("Kas tähtaega saab pikendada?"))
        #expect(try ReplyContent(parsing: "NB: quote: later\nsecond") == .comment("NB: quote: later\nsecond"))
        #expect(try ReplyContent(parsing: "Re: hinnapakkumine") == .comment("Re: hinnapakkumine"))
        #expect(try ReplyContent(parsing: "  \n Tere! \n") == .comment("Tere!"))
    }

    @Test func aWholeBodyLosesItsQuoteFirst() throws {
        #expect(try ReplyContent(replyBody: MailSamples.thunderbirdText)
            == Self.quote("12.5", 150_000, "2026-12-20", remark: "Tere!\n\nJõuame tööga valmis enne jõule, arvestatud on ka testimine."))
    }

    @Test(arguments: [
        ("quote: 12 h; 1500.00", "error.reply_quote_format"),
        ("quote: 12 h; 1500.00; 2026-12-20; extra", "error.reply_quote_format"),
        ("quote: twelve; 1500.00; 2026-12-20", "error.reply_hours"),
        ("quote: 12,555 h; 1500.00; 2026-12-20", "error.reply_hours"),
        ("quote: -3 h; 1500.00; 2026-12-20", "error.reply_hours"),
        ("quote: 1e3; 1500.00; 2026-12-20", "error.reply_hours"),
        ("quote: 12; 1,500; 2026-12-20", "error.reply_price"),
        ("quote: 12; 15.00.00; 2026-12-20", "error.reply_price"),
        ("quote: 12; 1.50,00; 2026-12-20", "error.reply_price"),
        ("quote: 12; -100; 2026-12-20", "error.reply_price"),
        ("quote: 12; 1500.001; 2026-12-20", "error.reply_price"),
        ("quote: 12; 1500; 2026-02-30", "error.reply_date"),
        ("quote: 12; 1500; 31.02.2027", "error.reply_date"),
        ("quote: 12; 1500; 20/12/2026", "error.reply_date"),
        ("quote: 12; 1500; 20.12.26", "error.reply_date"),
        ("", "error.reply_empty"),
        (" \n\n ", "error.reply_empty"),
    ])
    func mistakesNameTheField(line: String, key: String) {
        let error = #expect(throws: WorkflowError.self) { try ReplyContent(parsing: line) }
        #expect(error?.text.key == key, "\(line)")
        #expect(error?.code == .invalidData)
    }

    @Test func errorsReadInBothLanguages() throws {
        let error = try #require(throws: WorkflowError.self) { try ReplyContent(parsing: "pakkumine: 12 h; 1500,00; 31.02.2027") }
        #expect(error.message(in: .et) == "„31.02.2027” ei ole kuupäev: oodatud näiteks 20.12.2026 või 2026-12-20")
        #expect(error.message(in: .en) == "'31.02.2027' is not a date: expected e.g. 2026-12-20 or 20.12.2026")
    }

    @Test func theTransitionItAsksFor() throws {
        let quote = try ReplyContent(parsing: "quote: 12 h; 1500.00; 2026-12-20")
        #expect(quote.transition?.name == "quote")
        #expect(quote.transition?.inputs == TransitionInputs(hours: 12, price: Money(cents: 150_000), delivery: try LocalDate(parsing: "2026-12-20")))
        #expect(try ReplyContent(parsing: "deliver: ok").transition?.inputs == TransitionInputs(note: "ok"))
        #expect(try ReplyContent(parsing: "hi").transition == nil)
    }
}
