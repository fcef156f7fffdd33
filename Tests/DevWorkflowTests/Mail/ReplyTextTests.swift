import Testing
@testable import DevWorkflow

/// The reply's own text, as clients quote and sign.
@Suite struct ReplyTextTests {
    @Test func thunderbirdsQuoteAndSignatureGo() throws {
        #expect(ReplyText.newText(MailSamples.thunderbirdText) == "pakkumine: 12,5 h; 1 500,00 €; 20.12.2026\n\nTere!\n\nJõuame tööga valmis enne jõule, arvestatud on ka testimine.")
    }

    @Test func gmailsWrappedAttributionGoes() throws {
        let text = try MailMessage(parsing: MailSamples.gmail).text
        #expect(ReplyText.newText(text) == "deliver: Paigaldatud testkeskkonda, kasutusjuhend on lisatud. Palun vaadake üle ja andke teada, kui midagi on puudu – õige versioon on 2.4.1.")
        // The HTML alternative, converted, reads the same.
        #expect(ReplyText.newText(HTMLText.text(MailSamples.gmailHTML)) == ReplyText.newText(text))
    }

    @Test func outlooksBlockGoes() throws {
        let text = try MailMessage(parsing: MailSamples.outlook).text
        #expect(ReplyText.newText(text) == "Tere,\n\nkas tellimuse tähtaega saab pikendada ühe nädala võrra? Šveitsi partneri tõttu ootame žürii otsust.\n\nLugupidamisega\nÕie Šõmer")
        let classic = "Sobib.\r\n\r\n-----Original Message-----\r\nFrom: DevWorkflow\r\nSent: 2 Dec 2026\r\nquoted"
        #expect(ReplyText.newText(classic) == "Sobib.")
        let estonian = "Sobib.\n\n-----Algne sõnum-----\nSaatja: DevWorkflow\nquoted"
        #expect(ReplyText.newText(estonian) == "Sobib.")
        let labels = "Palun helistage.\n\n*Saatja:* DevWorkflow <x@y>\n*Saadetud:* kolmapäev, 2. detsember 2026 09:00\n*Adressaat:* Mari\nquoted"
        #expect(ReplyText.newText(labels) == "Palun helistage.")
    }

    @Test func theIPhonesHTMLReplyKeepsOnlyTheQuestion() throws {
        let text = try MailMessage(parsing: MailSamples.iphone).text
        #expect(ReplyText.newText(text) == "Kas \"Šveitsi\" moodul on ka hinnas?\u{A0}Küsin, sest žürii & eelarve.")
    }

    @Test func inlineAnswersBetweenQuotesStay() {
        let text = """
            Mari Maasikas wrote:
            > Kas tähtaeg sobib?
            Jah, sobib.
            > Kas hind sisaldab käibemaksu?
            Ei sisalda.

            --
            Jüri
            """
        #expect(ReplyText.newText(text) == "Jah, sobib.\nEi sisalda.")
    }

    @Test func attributionsOnlyGoWhenAQuoteFollows() {
        #expect(ReplyText.newText("Kontaktil DevWorkflow (<x@y>) kirjutas kuupäeval K, 2. detsember 2026 kell 09:00:\n\n> quoted") == "")
        #expect(ReplyText.newText("Jüri wrote: the code is done.\nNext line") == "Jüri wrote: the code is done.\nNext line")
        #expect(ReplyText.newText("The vendor wrote:\nthis is not quoted") == "The vendor wrote:\nthis is not quoted")
    }

    @Test func phoneClosingLinesGo() {
        #expect(ReplyText.newText("Sobib.\n\nSent from my iPhone") == "Sobib.")
        #expect(ReplyText.newText("Sobib.\n\nGet Outlook for Android\n") == "Sobib.")
        #expect(ReplyText.newText("Sent from my office, the files are attached.\nMore text") == "Sent from my office, the files are attached.\nMore text")
    }

    @Test func blankRunsBecomeOneAndEndsAreTrimmed() {
        #expect(ReplyText.newText("\n\n  \nEsimene\n\n\n\nTeine   \n\n") == "Esimene\n\nTeine")
        #expect(ReplyText.newText("") == "")
        #expect(ReplyText.newText("> only a quote\n> nothing else") == "")
    }
}
