import HTTPTypes
import RunbookCore
import RunbookRuntime
@testable import RunbookServer
import RunbookStore
import Synchronization
import Testing

/// The web page against the whole server on a real loopback port: sessions, CSRF, escaping, the actions of guided
/// mode through forms, and the event streams.
@Suite struct WebTests {
    @Test func pagesWithoutASessionGoToTheSignInFormAndATokenSignsIn() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            for path in ["/", "/stats", "/incidents/INC-1"] {
                let away = try await client.get(path, as: nil)
                #expect(away.status == 303, "\(path)")
                #expect(away.headers[.location] == "/login", "\(path)")
            }
            // A bearer token is not a session: the pages want the cookie.
            #expect(try await client.get("/", as: "kim").status == 303)

            let form = try await client.get("/login", as: nil)
            #expect(form.status == 200)
            #expect(form.text.contains("name=\"token\""))
            #expect(form.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'; script-src 'sha256-") == true)

            // A wrong token: the form again, with the server's sentence.
            let nonce = try #require(Browser.cookie(WebCookies.login, in: form.headers))
            var headers = HTTPFields()
            headers[.cookie] = "\(WebCookies.login)=\(nonce)"
            headers[.contentType] = "application/x-www-form-urlencoded"
            let wrong = try await client.client.execute(uri: "/login", method: .post, headers: headers,
                                                        body: .init(string: "login=\(nonce)&token=rbk_00000000_00"))
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("this token is not known to the server"))
            // The form's value must match its cookie (a sign-in posted from another site has neither).
            let forged = try await client.client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                         body: .init(string: "login=\(nonce)&token=\(try #require(fixture.secrets["kim"]))"))
            #expect(forged.status == .forbidden)

            let browser = try await Browser.signIn(client, as: "kim")
            let id = String(browser.cookie.dropFirst(WebCookies.session.count + 1))
            #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
            let page = try await browser.get("/")
            #expect(page.status == 200)
            #expect(page.text.contains("Signed in as kim"))
            #expect(page.headers[.contentSecurityPolicy] == WebPage.policy)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[.referrerPolicy] == "same-origin")
            // The policy allows exactly the page's one script and one style, by hash.
            #expect(WebPage.policy.contains("script-src '\(WebPage.cspHash(WebAssets.script))'"))
            #expect(page.text.contains("<script>\(WebAssets.script)</script>"))
            #expect(page.text.contains("<style>\(WebAssets.style)</style>"))
            #expect(page.text.ranges(of: "<script").count == 1)

            // Signing out ends the session: the same cookie no longer opens a page.
            #expect(try await browser.post("/logout").status == 303)
            #expect(try await browser.get("/").headers[.location] == "/login")
        }
    }

    @Test func theSessionCookieIsHttpOnlyStrictAndSecureBehindTLS() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            for https in [false, true] {
                var extra = HTTPFields()
                if https { extra[.xForwardedProto] = "https" }
                let form = try await client.send(.get, "/login", as: nil, headers: extra)
                let nonce = try #require(Browser.cookie(WebCookies.login, in: form.headers))
                extra[.cookie] = "\(WebCookies.login)=\(nonce)"
                extra[.contentType] = "application/x-www-form-urlencoded"
                let reply = try await client.client.execute(uri: "/login", method: .post, headers: extra,
                                                            body: .init(string: "login=\(nonce)&token=\(try #require(fixture.secrets["lee"]))"))
                let line = try #require(reply.headers[values: .setCookie].first { $0.hasPrefix(WebCookies.session + "=") })
                let attributes = line.split(separator: ";").dropFirst().map { String(String($0).trimmingWhitespace) }
                #expect(attributes.contains("HttpOnly"))
                #expect(attributes.contains("SameSite=Strict"))
                #expect(attributes.contains("Path=/"))
                #expect(attributes.contains("Secure") == https)
            }
        }
    }

    @Test func aRevokedTokenEndsItsSessionsAtTheNextRequest() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let browser = try await Browser.signIn(client, as: "lee")
            #expect(try await browser.get("/").status == 200)
            let store = try SQLiteEventStore(path: fixture.settings.databasePath)
            try Tokens(store: store, path: fixture.settings.databasePath).revoke(id: try #require(fixture.tokenIDs["lee"]), by: "root",
                                                                                now: fixture.clock.now())
            let away = try await browser.get("/")
            #expect(away.status == 303)
            #expect(away.headers[.location] == "/login?ended=1")
            // Ended for good: the session is gone even if the token came back.
            #expect(try await browser.get("/").headers[.location] == "/login")
            let said = try await client.get("/login?ended=1", as: nil)
            #expect(said.text.contains("Your session ended"))
        }
    }

    /// A session left idle for twelve hours ends; one in use goes on (on the manual clock).
    @Test func anIdleSessionEndsAndABusyOneGoesOn() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let busy = try await Browser.signIn(client, as: "lee")
            let idle = try await Browser.signIn(client, as: "kim")
            for _ in 0..<3 {
                fixture.clock.advance(by: RunbookDuration(seconds: 6 * 3600))
                #expect(try await busy.get("/").status == 200, "used every six hours")
            }
            let ended = try await idle.get("/")
            #expect(ended.status == 303)
            #expect(ended.headers[.location] == "/login")
            // At the limit exactly it still counts as in use.
            fixture.clock.advance(by: WebSessions.idleLimit)
            #expect(try await busy.get("/").status == 200)
            fixture.clock.advance(milliseconds: Int64(WebSessions.idleLimit.seconds) * 1000 + 1)
            #expect(try await busy.get("/").status == 303)
        }
    }

    @Test func everyPostNeedsTheSessionsCSRFToken() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let kim = try await Browser.signIn(client, as: "kim")
            let lee = try await Browser.signIn(client, as: "lee")
            #expect(kim.csrf.count == 64 && kim.csrf != lee.csrf)
            for csrf: String?? in [.none, .some(.some("0")), .some(.some(lee.csrf))] {
                let refused = try await kim.post("/incidents/\(id)/notes", [("text", "forged")], csrf: csrf)
                #expect(refused.status == 403)
                #expect(refused.text.contains("this form did not come from your open page (its CSRF token is missing or wrong)"))
                #expect(refused.headers[.contentSecurityPolicy] != nil)
            }
            #expect(try await kim.post("/logout", csrf: .none).status == 403)
            let timeline = try await client.get("/api/v1/incidents/\(id)/timeline")
            #expect(timeline.json.array?.contains { $0["type"]?.string == "note.added" } == false)

            let noted = try await kim.post("/incidents/\(id)/notes", [("text", "checked the dashboards")])
            #expect(noted.status == 303)
            #expect(noted.headers[.location] == "/incidents/\(id)")
            let after = try await client.get("/api/v1/incidents/\(id)/timeline")
            let note = try #require(after.json.array?.last)
            #expect(note["type"]?.string == "note.added")
            #expect(note["actor"]?.string == "kim")
            #expect(note["data"]?["text"]?.string == "checked the dashboards")
            // The outcome shows once on the next page.
            #expect(try await kim.get("/incidents/\(id)").text.contains("Recorded (1 event)."))
            #expect(try await kim.get("/incidents/\(id)").text.contains("id=\"flash\"") == false)
        }
    }

    @Test func userTextIsEscapedEverywhereOnThePage() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let started = try await client.post("/api/v1/incidents", #"{"runbook": "gated-restore", "title": "<b>bold</b> & \"quoted\""}"#)
            let id = try #require(started.json["incident"]?["id"]?.string)
            _ = try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "<script>alert(1)</script> \u001b[31mred"}"#)
            let browser = try await Browser.signIn(client, as: "kim")
            for path in ["/incidents/\(id)", "/incidents/\(id)/live", "/"] {
                let page = try await browser.get(path)
                #expect(page.status == 200, "\(path)")
                #expect(page.text.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"), "\(path)")
                #expect(!page.text.contains("<b>bold"), "\(path)")
                #expect(!page.text.contains("\u{1b}"), "\(path)")
            }
            let page = try await browser.get("/incidents/\(id)")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains("\\e[31mred") || page.text.contains("␛[31mred") || page.text.contains("\\u{1B}[31mred")
                    || page.text.contains("\\x1b[31mred"))
        }
    }

    @Test func theActionsOfGuidedModeGoThroughTheEngineAndShowItsRefusals() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let kim = try await Browser.signIn(client, as: "kim")
            let page = try await kim.get("/incidents/\(id)")
            #expect(page.text.contains("Stage 1 of 1: "))
            #expect(page.text.contains("waits for: approve-reset (approval)"))
            #expect(page.text.contains("data-due=\""))
            // The script's clock is the server's: one `data-now`, the incident's now.
            #expect(page.text.ranges(of: "data-now=").count == 1)
            #expect(page.text.contains("data-now=\"\(fixture.clock.now().milliseconds)\""))
            #expect(page.text.contains("/incidents/\(id)/steps/reset/run"))
            #expect(page.text.contains("/incidents/\(id)/report"))

            // The engine refuses kim's approval: its sentence shows.
            #expect(try await kim.post("/incidents/\(id)/steps/approve-reset/approve").status == 303)
            #expect(try await kim.get("/incidents/\(id)").text.contains("kim does not hold the role 운영 매니저 (manager)"))
            // Break glass without a reason: refused by the engine; with one, recorded.
            _ = try await kim.post("/incidents/\(id)/steps/approve-reset/break-glass", [("reason", "")])
            let refused = try await kim.get("/incidents/\(id)")
            #expect(refused.text.contains("class=\"flash refused\""))
            #expect(refused.text.contains("reason"))
            _ = try await kim.post("/incidents/\(id)/steps/approve-reset/break-glass", [("reason", "manager unreachable")])
            #expect(try await kim.get("/incidents/\(id)").text.contains("class=\"flash\""))

            // A destructive run is refused until the step's id is typed.
            _ = try await kim.post("/incidents/\(id)/steps/reset/run", [("confirm", "")])
            #expect(try await kim.get("/incidents/\(id)").text.contains("class=\"flash refused\""))
            #expect(!fixture.exists("reset-ran"))
            _ = try await kim.post("/incidents/\(id)/steps/reset/run", [("confirm", "restore")])
            #expect(!fixture.exists("reset-ran"))
            _ = try await kim.post("/incidents/\(id)/steps/reset/run", [("confirm", "reset")])
            #expect(fixture.exists("reset-ran"))
            let ran = try await kim.get("/incidents/\(id)")
            #expect(ran.text.contains("Ran `reset`: succeeded."))
            #expect(ran.text.contains("reset done"))

            // A step whose failed attempt needs a note: refused without one, done with one.
            _ = try await kim.post("/incidents/\(id)/steps/restore/run", [("confirm", "yes")])
            _ = try await kim.post("/incidents/\(id)/steps/restore/done", [("note", "")])
            #expect(try await kim.get("/incidents/\(id)").text.contains("class=\"flash refused\""))
            _ = try await kim.post("/incidents/\(id)/ack")
            _ = try await kim.post("/incidents/\(id)/steps/restore/done", [("note", "restored by hand")])
            let view = try await client.get("/api/v1/incidents/\(id)")
            #expect(view.json["status"]?.string == "closed")
            let types = try await client.get("/api/v1/incidents/\(id)/timeline").json.array?.compactMap { $0["type"]?.string } ?? []
            #expect(types.contains("approval.overridden") || types.contains { $0.hasPrefix("approval.") })
            #expect(types.contains("incident.acknowledged"))

            // The post-mortem, under a policy that allows its own style and no script.
            let report = try await kim.get("/incidents/\(id)/report")
            #expect(report.status == 200)
            #expect(report.headers[.contentSecurityPolicy]?.contains("script-src 'none'") == true)
            #expect(report.text.contains("restored by hand"))
            #expect(try await kim.get("/stats").status == 200)
        }
    }

    @Test func anInputsChoicesAreButtonsAndItsAnswerIsRecorded() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("security-incident", severity: nil)
            let kim = try await Browser.signIn(client, as: "kim")
            let page = try await kim.get("/incidents/\(id)")
            for choice in ["SEV1", "SEV2", "SEV3"] {
                #expect(page.text.contains("<button type=\"submit\" name=\"value\" value=\"\(choice)\">\(choice)</button>"))
            }
            #expect(try await kim.post("/incidents/\(id)/steps/severity/input", [("value", "SEV1")]).status == 303)
            let timeline = try await client.get("/api/v1/incidents/\(id)/timeline").json.array ?? []
            let answered = try #require(timeline.last { $0["type"]?.string == "input.recorded" })
            #expect(answered["actor"]?.string == "kim")
            #expect(answered["data"]?["value"]?.string == "SEV1")
            let after = try await kim.get("/incidents/\(id)")
            #expect(after.text.contains("Value: SEV1"))
        }
    }

    @Test func theKoreanPageSpeaksKoreanAndTheChoiceIsKept() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let browser = try await Browser.signIn(client, as: "kim")
            let korean = try await browser.get("/?lang=ko")
            #expect(korean.text.contains("<html lang=\"ko\">"))
            #expect(korean.text.contains("진행 중인 장애"))
            let saved = try #require(Browser.cookie(WebCookies.language, in: korean.headers))
            #expect(saved == "ko")
            var headers = HTTPFields()
            headers[.cookie] = "\(WebCookies.language)=ko"
            let incident = try await browser.get("/incidents/\(id)", headers: headers)
            #expect(incident.text.contains("타임라인"))
            #expect(incident.text.contains("단계 1/1"))
            // Accept-Language decides when nothing was chosen.
            var accept = HTTPFields()
            accept[.acceptLanguage] = "ko-KR,ko;q=0.9,en;q=0.8"
            #expect(try await browser.get("/", headers: accept).text.contains("진행 중인 장애"))
            #expect(try await browser.get("/").text.contains("Open incidents"))
        }
    }

    @Test func anActionReachesAnotherClientsStreamAndLastEventIDResumes() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let port = try #require(client.client.port)
            let lee = try #require(fixture.secrets["lee"])
            let first = try await client.get("/api/v1/incidents/\(id)").json["events"]?.int ?? 0

            // lee follows the incident; kim adds a note through the API: lee's stream carries it.
            let (head, messages) = try await EventStreamReader.read(
                port: port, path: "/api/v1/incidents/\(id)/events", headers: [("Authorization", "Bearer \(lee)")],
                action: { _ = try await client.post("/api/v1/incidents/\(id)/notes", as: "kim", #"{"text": "from kim"}"#) },
                until: { $0.contains { $0.data.contains("from kim") } })
            #expect(head.lowercased().contains("content-type: text/event-stream"))
            let note = try #require(messages.first { $0.data.contains("from kim") })
            #expect(note.event == "incident-event")
            let json = try JSONValue(parsing: note.data)
            #expect(json["type"]?.string == "note.added")
            #expect(json["actor"]?.string == "kim")
            #expect(note.id == json["sequence"]?.int.map(String.init))
            // Only new events: nothing from before the stream opened.
            #expect(messages.allSatisfy { Int64($0.id ?? "0") ?? 0 > first })

            // Resuming after the first event replays every later one, in order.
            let (_, resumed) = try await EventStreamReader.read(
                port: port, path: "/api/v1/incidents/\(id)/events", headers: [("Authorization", "Bearer \(lee)"), ("Last-Event-ID", "1")],
                until: { $0.contains { $0.data.contains("from kim") } })
            #expect(resumed.first?.id == "2")
            let ids = resumed.compactMap { $0.id.flatMap { Int64($0) } }
            #expect(ids == Array(2...(first + 1)))
        }
    }

    @Test func aChangeByAnotherConnectionReachesTheStreams() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let port = try #require(client.client.port)
            // Another connection to the database, as the CLI on the same host would open.
            let other = try IncidentDesk(settings: fixture.settings, clock: fixture.clock)
            let token = try await other.liveToken(id: try #require(fixture.tokenIDs["park"]))
            let browser = try await Browser.signIn(client, as: "choi")
            let (_, messages) = try await EventStreamReader.read(
                port: port, path: "/api/v1/events", headers: [("Cookie", browser.cookie)],
                action: { _ = try await other.act(.note("from elsewhere"), on: id, caller: token, expected: nil) },
                until: { $0.contains { $0.event == "incident-changed" } })
            let changed = try #require(messages.first { $0.event == "incident-changed" })
            #expect(try JSONValue(parsing: changed.data)["incident"]?.string == id)

            // The incident's stream, opened with the session cookie as the page does.
            let (_, events) = try await EventStreamReader.read(
                port: port, path: "/api/v1/incidents/\(id)/events", headers: [("Cookie", browser.cookie)],
                action: { _ = try await other.act(.acknowledge, on: id, caller: token, expected: nil) },
                until: { $0.contains { $0.data.contains("incident.acknowledged") } })
            #expect(events.last?.event == "incident-event")
        }
    }

    @Test(.timeLimit(.minutes(1))) func aGracefulShutdownEndsTheOpenStreams() async throws {
        let fixture = try ServerFixture()
        let reader = Mutex<Task<String, Never>?>(nil)
        try await fixture.live { client in
            let port = try #require(client.client.port)
            let lee = try #require(fixture.secrets["lee"])
            let (opened, signal) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                do {
                    _ = try await EventStreamReader.read(port: port, path: "/api/v1/events", headers: [("Authorization", "Bearer \(lee)")],
                                                         timeout: .seconds(30), action: { signal.yield() }, until: { _ in false })
                    return "read"
                } catch {
                    return "\(error)"
                }
            }
            for await _ in opened { break }
            reader.withLock { $0 = task }
            // Leaving the body shuts the server down gracefully, with the stream still open.
        }
        let ended = try #require(reader.withLock { $0 })
        #expect(await ended.value == "the stream /api/v1/events ended")
    }

    @Test func streamsWantATokenOrASession() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            #expect(try await client.get("/api/v1/events", as: nil).status == 401)
            #expect(try await client.get("/api/v1/incidents/\(id)/events", as: nil).status == 401)
            var headers = HTTPFields()
            headers[.cookie] = "\(WebCookies.session)=" + String(repeating: "0", count: 64)
            #expect(try await client.send(.get, "/api/v1/events", as: nil, headers: headers).status == 401)
            #expect(try await client.get("/api/v1/incidents/INC-404/events").status == 404)
        }
    }

    @Test(arguments: [("a=1&b=two+words&c=%ED%95%9C&d=%zz&a=2", ["a": "1", "b": "two words", "c": "한", "d": "%zz"]),
                      ("csrf=&note", ["csrf": "", "note": ""])])
    func formsAreDecoded(_ text: String, _ expected: [String: String]) {
        #expect(WebForm.parse(text) == expected)
    }

    @Test func theCSPHashIsTheBase64OfTheSHA256() {
        // The empty string's SHA-256, as every CSP document quotes it.
        #expect(WebPage.cspHash("") == "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        #expect(WebPage.base64(Array("ab".utf8)) == "YWI=")
    }
}

/// A stream's caller is checked again at every heartbeat: revoking the token ends the stream it opened.
@Suite struct StreamRevocationTests {
    @Test(.timeLimit(.minutes(1))) func revokingATokenEndsItsOpenStream() async throws {
        let fixture = try ServerFixture()
        fixture.settings.streamHeartbeat = .milliseconds(200)
        try await fixture.live { client in
            let port = try #require(client.client.port)
            let lee = try #require(fixture.secrets["lee"])
            let id = try #require(fixture.tokenIDs["lee"])
            let path = fixture.settings.databasePath
            do {
                _ = try await EventStreamReader.read(port: port, path: "/api/v1/events", headers: [("Authorization", "Bearer \(lee)")],
                                                     timeout: .seconds(20), action: {
                                                         let store = try SQLiteEventStore(path: path)
                                                         try Tokens(store: store, path: path).revoke(id: id, by: "root", now: fixture.clock.now())
                                                     }, until: { _ in false })
                Issue.record("the stream read on after its token was revoked")
            } catch {
                #expect("\(error)" == "the stream /api/v1/events ended")
            }
        }
    }
}
