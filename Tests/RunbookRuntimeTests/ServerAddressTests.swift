import RunbookCore
import RunbookRuntime
import Testing

/// The team server a command line is pointed at (`RUNBOOK_SERVER`, `--server`), and how its answers are read.
@Suite struct ServerAddressTests {
    @Test func onlyAPlainHTTPOrHTTPSAddressIsTaken() throws {
        for good in ["http://127.0.0.1:8080", "https://ops.example", "https://ops.example/", "http://[::1]:8080", "https://ops-1.example.co.kr:443"] {
            #expect((try? ServerAddress(url: good, token: "rbk_x")) != nil, "\(good)")
        }
        for bad in ["ops.example", "ftp://ops.example", "http://127.0.0.1:99999", "http://127.0.0.1:65536", "http://127.0.0.1:0",
                    "http://127.0.0.1:", "http://ops.example/api", "http://ops.example?x=1", "http://ops.example#x",
                    "http://user:pass@ops.example", "http://", "http://[::1", "http://ops example"] {
            #expect(throws: UserError.self, "\(bad)") { try ServerAddress(url: bad, token: "rbk_x") }
        }
        #expect(throws: UserError.self) { try ServerAddress(url: "https://ops.example", token: nil) }
        #expect(throws: UserError.self) { try ServerAddress(url: "https://ops.example", token: "  ") }
    }

    @Test func anAnswerThatIsNotARunbookServersIsSaidSoAndAHostileOneCannotStyleTheTerminal() {
        let html = ServerAnswer.error((404, "<!DOCTYPE HTML>\n<html><head>"), server: "http://x")
        #expect(html.kind == .failed)
        #expect(html.message == "http://x answered 404 without a problem body; is it a runbook server of this version?")
        let empty = ServerAnswer.error((404, ""), server: "http://x")
        #expect(empty.message.contains("404 without a problem body"))
        let hostile = ServerAnswer.error((409, #"{"detail": "refused \u001b[2J\u001b]0;owned\u0007"}"#), server: "http://x")
        #expect(hostile.kind == .failed)
        #expect(!hostile.message.unicodeScalars.contains { $0.value < 0x20 }, "\(hostile.message)")
        #expect(hostile.message.hasPrefix("refused \\e[2J"))
        let refusedToken = ServerAnswer.error((401, #"{"detail": "this token is not known to the server"}"#), server: "http://x")
        #expect(refusedToken.kind == .usage)
        #expect(refusedToken.message.hasPrefix("http://x refused the token: this token is not known"))
    }
}
