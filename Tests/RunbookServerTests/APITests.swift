import FoundationEssentials
import HTTPTypes
import RunbookCore
import RunbookRuntime
import RunbookStore
import Testing

/// The JSON API against the whole server on a real loopback port: every action, its refusals, and who may call.
@Suite struct APITests {
    @Test func healthAnswersWithoutATokenAndEverythingElseWantsOne() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let health = try await client.get("/healthz", as: nil)
            #expect(health.status == 200)
            #expect(health.text == "ok\n")
            #expect(try await client.get("/readyz", as: nil).status == 200)
            for path in ["/api/v1/incidents", "/api/v1/whoami", "/api/v1/openapi.json", "/api/v1/runbooks", "/api/v1/stats"] {
                let refused = try await client.get(path, as: nil)
                #expect(refused.status == 401, "\(path)")
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(refused.headers[.wwwAuthenticate] == "Bearer realm=\"runbook\"")
                #expect(refused.json["type"]?.string == "/api/v1/problems/unauthorized")
                #expect(refused.detail == "this request needs a token: send `Authorization: Bearer TOKEN` (created with `runbook token create NAME`)")
            }
            let started = try await client.post("/api/v1/incidents", as: nil, #"{"runbook": "gated-restore"}"#)
            #expect(started.status == 401)
        }
    }

    @Test func anUnknownTokenAndARevokedOneAreRefused() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer rbk_00000000_" + String(repeating: "0", count: 64)
            let unknown = try await client.send(.get, "/api/v1/whoami", as: nil, headers: headers)
            #expect(unknown.status == 401)
            #expect(unknown.detail == "this token is not known to the server; ask for one made with `runbook token create NAME` on its host")
            headers[.authorization] = "Basic a2ltOmtpbQ=="
            #expect(try await client.send(.get, "/api/v1/whoami", as: nil, headers: headers).status == 401)

            let whoami = try await client.get("/api/v1/whoami", as: "lee")
            #expect(whoami.status == 200)
            #expect(whoami.json["person"]?.string == "lee")
            let id = try #require(fixture.tokenIDs["lee"])
            #expect(whoami.json["token"]?.string == id)

            // Revoked from another process (here: another connection): refused at the next request.
            let store = try SQLiteEventStore(path: fixture.settings.databasePath)
            try Tokens(store: store, path: fixture.settings.databasePath).revoke(id: id, by: "root", now: fixture.clock.now())
            let revoked = try await client.get("/api/v1/whoami", as: "lee")
            #expect(revoked.status == 401)
            #expect(revoked.detail?.hasPrefix("token \(id) was revoked at ") == true)
        }
    }

    @Test func theTokensPersonActsAndTheTokenIsRecordedWhereTheLoginWouldBe() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let reply = try await client.post("/api/v1/incidents", as: "park", #"{"runbook": "security-incident", "severity": "SEV1", "title": "유출 의심"}"#)
            #expect(reply.status == 201)
            let id = try #require(reply.json["incident"]?["id"]?.string)
            #expect(reply.headers[.location] == "/api/v1/incidents/\(id)")
            let opened = try #require(reply.json["recorded"]?.array?.first)
            #expect(opened["type"]?.string == "incident.opened")
            #expect(opened["actor"]?.string == "park")
            #expect(opened["login"]?.string == "token:\(try #require(fixture.tokenIDs["park"]))")
            #expect(reply.json["incident"]?["title"]?.string == "유출 의심")
            #expect(reply.json["incident"]?["severity"]?.string == "SEV1")

            let listed = try await client.get("/api/v1/incidents", as: "cto")
            #expect(listed.json.array?.map { $0["id"]?.string } == [id])
            let view = try await client.get("/api/v1/incidents/\(id)", as: "choi")
            #expect(view.status == 200)
            #expect(view.headers[.eTag] == "\"\(try #require(view.json["events"]?.int))\"")
            #expect(view.json["integrity"]?["verified"]?.bool == true)
        }
    }

    @Test func stepsAreMarkedNotedAcknowledgedAndResolvedThroughTheSameRules() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            // The approval gates the reset: refused with the engine's sentence, as the CLI prints it.
            let early = try await client.post("/api/v1/incidents/\(id)/steps/reset/run", #"{"confirm": "reset"}"#)
            #expect(early.status == 409)
            #expect(early.json["reason"]?.string == "blocked")
            #expect(early.detail == "step `reset` waits for approval `approve-reset` by 운영 매니저 (manager): choi; "
                    + "it cannot run until then (it may be skipped or failed with a note)")
            #expect(!fixture.exists("reset-ran"))

            // kim does not hold the manager's role: not by skipping, failing or approving.
            for (path, body, verb) in [("skip", #"{"note": "no time"}"#, "skip"), ("fail", "{}", "fail"), ("approve", "{}", "approve")] {
                let refused = try await client.post("/api/v1/incidents/\(id)/steps/approve-reset/\(path)", body)
                #expect(refused.status == 409, "\(path)")
                #expect(refused.json["reason"]?.string == "not-role-holder")
                #expect(refused.detail == "kim does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi "
                        + "may \(verb) approval `approve-reset` (anyone on the roster may break the glass with --break-glass --reason TEXT)")
            }
            let approved = try await client.post("/api/v1/incidents/\(id)/steps/approve-reset/approve", as: "choi")
            #expect(approved.status == 200)
            #expect(approved.json["recorded"]?.array?.contains { $0["type"]?.string == "approval.given" && $0["actor"]?.string == "choi" } == true)
            // The token proves who choi is: no "identity not bound" finding.
            #expect(approved.json["incident"]?["findings"]?.array?.isEmpty == true)

            // A destructive command needs its step named; then it runs on the server's host, in the database's folder.
            let unconfirmed = try await client.post("/api/v1/incidents/\(id)/steps/reset/run")
            #expect(unconfirmed.status == 422)
            #expect(unconfirmed.json["reason"]?.string == "destructive-not-confirmed")
            let misnamed = try await client.post("/api/v1/incidents/\(id)/steps/reset/run", #"{"confirm": "restore"}"#)
            #expect(misnamed.status == 400)
            #expect(!fixture.exists("reset-ran"))
            let ran = try await client.post("/api/v1/incidents/\(id)/steps/reset/run", #"{"confirm": "reset"}"#)
            #expect(ran.status == 200)
            #expect(ran.json["run"]?["succeeded"]?.bool == true)
            #expect(ran.json["run"]?["stdout"]?["head"]?.string == "reset done\n")
            #expect(fixture.exists("reset-ran"))

            // A command not found is a failed attempt, returned as such (not an HTTP error): the step waits.
            let failed = try await client.post("/api/v1/incidents/\(id)/steps/restore/run")
            #expect(failed.status == 200)
            #expect(failed.json["run"]?["succeeded"]?.bool == false)
            #expect(failed.json["run"]?["summary"]?.string == "could not run: command not found: no-such-program-xyz (exit 127)")
            let noNote = try await client.post("/api/v1/incidents/\(id)/steps/restore/done")
            #expect(noNote.status == 422)
            #expect(noNote.json["reason"]?.string == "note-required")

            let note = try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "impact: \u001b[31m로그인 실패 20분"}"#)
            #expect(note.status == 200)
            #expect(note.json["recorded"]?.array?.last?["data"]?["text"]?.string == "impact: \u{1b}[31m로그인 실패 20분")
            #expect(try await client.post("/api/v1/incidents/\(id)/ack").status == 200)
            let done = try await client.post("/api/v1/incidents/\(id)/steps/restore/done", #"{"note": "restored by hand from the 03:00 dump"}"#)
            #expect(done.status == 200)
            #expect(done.json["incident"]?["status"]?.string == "closed")

            let timeline = try await client.get("/api/v1/incidents/\(id)/timeline?after=1")
            #expect(timeline.json.array?.first?["sequence"]?.int == 2)
            #expect(timeline.json.array?.allSatisfy { $0["description"]?.string?.isEmpty == false } == true)
        }
    }

    @Test func breakingTheGlassNeedsAReasonAndPagesTheRole() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let bare = try await client.post("/api/v1/incidents/\(id)/steps/approve-reset/approve", #"{"break_glass": true}"#)
            #expect(bare.status == 422)
            #expect(bare.json["reason"]?.string == "break-glass-needs-reason")
            let overridden = try await client.post("/api/v1/incidents/\(id)/steps/approve-reset/approve",
                                                   #"{"break_glass": true, "reason": "manager unreachable for 20m"}"#)
            #expect(overridden.status == 200)
            #expect(overridden.json["recorded"]?.array?.contains { $0["type"]?.string == "approval.overridden" } == true)
            #expect(overridden.json["incident"]?["findings"]?.array?.count == 1)
        }
    }

    @Test func aWriteNamingAnOlderEventIsRefusedAndTheLatestOneIsAccepted() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let view = try await client.get("/api/v1/incidents/\(id)")
            let etag = try #require(view.headers[.eTag])
            var stale = HTTPFields()
            stale[.ifMatch] = "\"1\""
            let refused = try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "late"}"#, headers: stale)
            #expect(refused.status == 412)
            #expect(refused.json["type"]?.string == "/api/v1/problems/changed")
            var current = HTTPFields()
            current[.ifMatch] = etag
            #expect(try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "now"}"#, headers: current).status == 200)
            // The same ETag again: the note before it changed the log.
            #expect(try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "again"}"#, headers: current).status == 412)
            // Prefer: return=minimal (RFC 7240): what was recorded, without the incident's view.
            var minimal = HTTPFields()
            minimal[.init("Prefer")!] = "respond-async, return=minimal"
            let brief = try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "brief"}"#, headers: minimal)
            #expect(brief.status == 200)
            #expect(brief.json["recorded"]?.array?.first?["description"]?.string == "note: brief")
            #expect(brief.json["incident"] == nil)
            #expect(brief.json["pages"]?.string != nil)
            var garbage = HTTPFields()
            garbage[.ifMatch] = "\"x\""
            #expect(try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "x"}"#, headers: garbage).status == 400)
            // A weak tag never matches a write (RFC 9110): 412, even when its number is current.
            let latest = try #require(try await client.get("/api/v1/incidents/\(id)").headers[.eTag])
            var weak = HTTPFields()
            weak[.ifMatch] = "W/" + latest
            let weakly = try await client.post("/api/v1/incidents/\(id)/notes", #"{"text": "x"}"#, headers: weak)
            #expect(weakly.status == 412)
            #expect(weakly.detail?.contains("weak tag") == true)
            // A run decided on an older log is refused before it starts.
            var older = HTTPFields()
            older[.ifMatch] = "\"1\""
            let staleRun = try await client.post("/api/v1/incidents/\(id)/steps/reset/run", "{}", headers: older)
            #expect(staleRun.status == 412)
            #expect(try await client.get("/api/v1/incidents/\(id)").headers[.eTag] == latest, "nothing recorded")
        }
    }

    @Test func badInputGetsOneClearProblemAndChangesNothing() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let before = try await client.get("/api/v1/incidents/\(id)").json["events"]?.int

            let unknown = try await client.post("/api/v1/incidents/INC-19990101-0042/ack")
            #expect(unknown.status == 404)
            #expect(unknown.detail?.hasPrefix("no incident INC-19990101-0042") == true)
            #expect(try await client.get("/api/v1/incidents/nope").status == 404)

            let badJSON = try await client.post("/api/v1/incidents/\(id)/notes", "{\"text\": ")
            #expect(badJSON.status == 400)
            #expect(badJSON.detail?.hasPrefix("the request body is not valid JSON") == true)
            let notObject = try await client.post("/api/v1/incidents/\(id)/notes", "[1]")
            #expect(notObject.status == 400)
            let missing = try await client.post("/api/v1/incidents/\(id)/notes", "{}")
            #expect(missing.status == 400)
            #expect(missing.detail == "the request body needs `text`")
            let wrongType = try await client.post("/api/v1/incidents/\(id)/steps/reset/run", #"{"confirm": 7}"#)
            #expect(wrongType.status == 400)
            #expect(wrongType.detail == "`confirm` must be a string")
            let deep = try await client.post("/api/v1/incidents/\(id)/notes", String(repeating: "[", count: 100_000))
            #expect(deep.status == 400)
            let unknownStep = try await client.post("/api/v1/incidents/\(id)/steps/no-such-step/done", #"{"note": "x"}"#)
            #expect(unknownStep.status == 422)
            let unknownMark = try await client.post("/api/v1/incidents/\(id)/steps/reset/explode")
            #expect(unknownMark.status == 404)
            let unknownRunbook = try await client.post("/api/v1/incidents", #"{"runbook": "no-such-runbook"}"#)
            #expect(unknownRunbook.status == 422)
            #expect(try await client.get("/api/v1/incidents/\(id)/report?format=pdf").status == 400)

            let nowhere = try await client.get("/api/v2/everything")
            #expect(nowhere.status == 404)
            #expect(nowhere.detail == "nothing at /api/v2/everything; the API is described at /api/v1/openapi.json")
            let huge = try await client.post("/api/v1/incidents/\(id)/notes", "{\"text\": \"" + String(repeating: "x", count: 2 << 20) + "\"}")
            #expect(huge.status == 413)
            #expect(huge.json["status"]?.int == 413)

            #expect(try await client.get("/api/v1/incidents/\(id)").json["events"]?.int == before)
        }
    }

    @Test func viewsAnswerAsTheCommandLineDoes() async throws {
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            let markdown = try await client.get("/api/v1/incidents/\(id)/report")
            #expect(markdown.status == 200)
            #expect(markdown.headers[.contentType] == "text/markdown; charset=utf-8")
            let html = try await client.get("/api/v1/incidents/\(id)/report?format=html")
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.text.hasPrefix("<!DOCTYPE html>"))
            let json = try await client.get("/api/v1/incidents/\(id)/report?format=json")
            #expect(json.json["incident"] != nil || json.json["id"] != nil)

            let runbooks = try await client.get("/api/v1/runbooks")
            #expect(runbooks.json.array?.contains { $0["id"]?.string == "security-incident" } == true)
            let stats = try await client.get("/api/v1/stats?since=7d")
            #expect(stats.status == 200)
            #expect(try await client.get("/api/v1/stats?since=soon").status == 422)
            let all = try await client.get("/api/v1/incidents?all=true")
            #expect(all.json.array?.count == 1)
        }
    }
}

/// Requests that each leave pages to deliver, at once: a delivery waits for another without holding the desk, so
/// none stalls (each waited up to a minute, the desk blocked by the first waiter, before deliveries suspended).
@Suite struct ConcurrentDeliveryTests {
    @Test func actionsOwingPagesAtOnceAllComplete() async throws {
        let fixture = try ServerFixture()
        // A channel that takes a moment, as mail or a pager gateway does: a delivery is in flight while others come. (A
        // command channel runs in the deliverer's working directory: the log goes into the fixture's folder by path.)
        try """
            contacts:
              oncall: { title: On-call, channels: [ { command: "sleep 0.2; cat >> '\(fixture.directory)/pages.log'", timeout: 10s } ] }
              manager: { title: Manager, channels: [ { command: "sleep 0.2; cat >> '\(fixture.directory)/pages.log'", timeout: 10s } ] }
            """.write(toFile: "\(fixture.directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
        try await fixture.live { client in
            var ids: [String] = []
            for _ in 0..<4 { ids.append(try await client.start("gated-restore")) }
            // Past the stage deadline and the second tier: every next action records pages owed and delivers them.
            fixture.clock.advance(by: RunbookDuration(seconds: 2 * 3600))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, id) in ids.enumerated() {
                    for note in 0..<3 {
                        group.addTask { try await client.post("/api/v1/incidents/\(id)/notes", "{\"text\": \"note \(index)-\(note)\"}").status }
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            for id in ids {
                let timeline = try await client.get("/api/v1/incidents/\(id)/timeline").json.array ?? []
                #expect(timeline.filter { $0["type"]?.string == "note.added" }.count == 3)
                #expect(timeline.contains { $0["type"]?.string == "notification.sent" })
            }
        }
    }
}

/// A token proves its person, but for a person bound to logins only a token made from one of those logins (or by
/// root): otherwise anyone who can run `runbook token create choi` could approve as choi.
@Suite struct TokenIdentityTests {
    @Test func aBoundPersonsApprovalNeedsATokenMadeFromTheirLogin() async throws {
        let fixture = try ServerFixture()
        let rosterPath = "\(fixture.directory)/runbooks/roster.yaml"
        let roster = try String(contentsOfFile: rosterPath, encoding: .utf8)
        try roster.replacingOccurrences(of: "  choi: [manager]", with: "  choi: { roles: [manager], logins: [choi] }")
            .write(toFile: rosterPath, atomically: true, encoding: .utf8)
        let store = try SQLiteEventStore(path: fixture.settings.databasePath)
        let tokens = Tokens(store: store, path: fixture.settings.databasePath)
        let parsed = try Roster.load(directory: "\(fixture.directory)/runbooks")
        let byKim = try tokens.create(person: "choi", roster: parsed, rosterPath: rosterPath, by: "kim", now: fixture.clock.now())
        let byChoi = try tokens.create(person: "choi", roster: parsed, rosterPath: rosterPath, by: "choi", now: fixture.clock.now())
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            func approve(_ secret: String) async throws -> ServerFixture.Reply {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(secret)"
                return try await client.send(.post, "/api/v1/incidents/\(id)/steps/approve-reset/approve", as: nil, headers: headers)
            }
            let forged = try await approve(byKim.secret)
            #expect(forged.status == 409)
            #expect(forged.json["reason"]?.string == "identity-not-proven")
            let proven = try await approve(byChoi.secret)
            #expect(proven.status == 200)
            #expect(proven.json["incident"]?["findings"]?.array?.isEmpty == true)
        }
    }
}
