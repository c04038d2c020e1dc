import HTTPTypes
import RunbookCore
import RunbookRuntime
import Testing

/// Alert intake (SPEC §10 "Alerts start runbooks") against the whole server on a real loopback port, with the
/// shipped alerts.yaml unless a test writes its own.
@Suite struct AlertIntakeTests {
    static let errorRate = #"{"alertname": "HighErrorRate", "instance": "erp.duly.co.kr"}"#

    @Test func aMissingOrWrongSecretIsRefusedAndNothingIsRecorded() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let body = alertmanagerBody([("fp1", "firing", Self.errorRate)])
            let missing = try await client.alert("alertmanager", body, secret: nil)
            #expect(missing.status == 401)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(missing.detail == "this webhook needs the secret of alertmanager: send `Authorization: Bearer SECRET`")
            let wrong = try await client.alert("alertmanager", body, secret: "am-secret-")
            #expect(wrong.status == 401)
            #expect(wrong.detail == "the secret sent is not the one of alertmanager; check the value the sender uses against the server's")
            // Another source's secret, or a person's token, is not this source's.
            #expect(try await client.alert("alertmanager", body, secret: "gf-secret-2").status == 401)
            let kim = try #require(fixture.secrets["kim"])
            #expect(try await client.alert("alertmanager", body, secret: kim).status == 401)
            var basic = HTTPFields()
            basic[.authorization] = "Basic YW06YW0tc2VjcmV0LTE="
            #expect(try await client.send(.post, "/api/v1/alerts/alertmanager", as: nil, body: body, headers: basic).status == 401)
            #expect(try await client.incidents().isEmpty)
        }
    }

    @Test func aSourceWhoseVariableIsUnsetIsRefusedWithWhatToDo() async throws {
        let fixture = try ServerFixture()
        var environment = ServerFixture.alertSecrets
        environment["RUNBOOK_GRAFANA_SECRET"] = nil
        environment["RUNBOOK_ALERT_SECRET"] = "  "
        try await fixture.live(environment: environment) { client in
            // Even with a secret sent: a server without one would accept anybody's.
            let grafana = try await client.alert("grafana", #"{"alerts": []}"#, secret: "anything")
            #expect(grafana.status == 503)
            #expect(grafana.detail == "alerts from grafana are refused: set RUNBOOK_GRAFANA_SECRET in the server's environment to the secret "
                        + "grafana sends, then restart `runbook serve`")
            #expect(try await client.alert("generic", #"{"title": "x"}"#, secret: "  ").status == 503)
            // The source that has its secret works.
            #expect(try await client.alert("alertmanager", alertmanagerBody([("fp1", "firing", Self.errorRate)])).status == 200)
        }
    }

    @Test func noAlertsFileOrABrokenOneRefusesEveryAlert() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            try fixture.writeAlertRules(nil)
            let none = try await client.alert("generic", #"{"title": "x"}"#)
            #expect(none.status == 503)
            #expect(none.detail == "alert intake is off: there is no \(fixture.settings.runbooksPath)/alerts.yaml; write one "
                        + "(see README, \"Alerts open incidents\")")
            try fixture.writeAlertRules("""
                sources:
                  generic: { secret_env: RUNBOOK_ALERT_SECRET }
                routes:
                  - match: { alertname: A }
                    runbook: service-unreachabel
                  - match: {}
                    runbook: service-unreachable
                """)
            let broken = try await client.alert("generic", #"{"title": "x"}"#)
            #expect(broken.status == 503)
            #expect(broken.detail == "alerts are refused until alerts.yaml is fixed: \(fixture.settings.runbooksPath)/alerts.yaml:5:14: error: "
                        + "routes[0].runbook: unknown runbook `service-unreachabel`: no such file in the runbooks folder; did you mean "
                        + "`service-unreachable`? (and 1 more); run `runbook lint`")
            // A source the file does not declare.
            try fixture.writeAlertRules("sources:\n  generic: { secret_env: RUNBOOK_ALERT_SECRET }\n")
            let undeclared = try await client.alert("grafana", #"{"alerts": []}"#)
            #expect(undeclared.status == 503)
            #expect(undeclared.detail == "alert source grafana is not declared in alerts.yaml; add it under `sources:` with its secret_env")
            #expect(try await client.incidents().isEmpty)
        }
    }

    @Test func theSameFingerprintTwiceIsOneIncidentWithTwoAlertEvents() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let body = alertmanagerBody([("1a30ba71cca2921f", "firing", Self.errorRate)])
            let first = try await client.alert("alertmanager", body)
            #expect(first.status == 200)
            let outcome = try #require(first.json["alerts"]?.array?.first)
            #expect(outcome["outcome"]?.string == "opened")
            #expect(outcome["runbook"]?.string == "service-unreachable")
            #expect(outcome["severity"]?.string == "SEV2")
            #expect(outcome["route"]?.int == 0)
            let id = try #require(outcome["incident"]?.string)

            fixture.clock.advance(by: .minutes(5))
            let again = try await client.alert("alertmanager", body)
            #expect(again.status == 200)
            #expect(again.json["alerts"]?.array?.first?["outcome"]?.string == "recorded")
            #expect(again.json["alerts"]?.array?.first?["incident"]?.string == id)

            let incidents = try await client.incidents()
            #expect(incidents.map { $0["id"]?.string } == [id])
            let view = try await client.get("/api/v1/incidents/\(id)")
            #expect(view.json["runbook"]?.string == "service-unreachable")
            #expect(view.json["severity"]?.string == "SEV2")
            #expect(view.json["title"]?.string == "오류율 5% 초과 (Error rate above 5% for 3 minutes, manual §11.3)")
            let received = try await client.events(id, type: "alert.received")
            #expect(received.count == 2)
            for event in received {
                #expect(event["actor"]?.string == "alertmanager")
                #expect(event["login"]?.string == "alert:alertmanager")
                #expect(event["data"]?["fingerprint"]?.string == "1a30ba71cca2921f")
                #expect(event["data"]?["group_key"]?.string == "{}:{alertname=\"HighErrorRate\"}")
                #expect(event["data"]?["status"]?.string == "firing")
                #expect(event["data"]?["title"]?.string == "summary of 1a30ba71cca2921f")
                #expect(event["data"]?["labels"]?["instance"]?.string == "erp.duly.co.kr")
                #expect(event["description"]?.string == "alert received from alertmanager: summary of 1a30ba71cca2921f "
                            + "(fingerprint 1a30ba71cca2921f; alertname=HighErrorRate, instance=erp.duly.co.kr)")
            }
            // The first is in the opening, right after the opening event.
            #expect(received.first?["sequence"]?.int == 2)
        }
    }

    @Test func aDifferentFingerprintIsASecondIncidentUnlessItSharesTheGroup() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            // The generic source has no groups: two fingerprints, two incidents.
            let first = try await client.alert("generic", #"{"title": "errors on erp", "labels": {"alertname": "HighErrorRate"}, "fingerprint": "a"}"#)
            let second = try await client.alert("generic", #"{"title": "errors on api", "labels": {"alertname": "HighErrorRate"}, "fingerprint": "b"}"#)
            let a = try #require(first.json["alerts"]?.array?.first?["incident"]?.string)
            let b = try #require(second.json["alerts"]?.array?.first?["incident"]?.string)
            #expect(a != b)
            #expect(second.json["alerts"]?.array?.first?["outcome"]?.string == "opened")
            // The route's title, not the alert's.
            #expect(try await client.get("/api/v1/incidents/\(b)").json["title"]?.string == "오류율 5% 초과 (Error rate above 5% for 3 minutes, manual §11.3)")

            // One Alertmanager group on one runbook is one incident: a new fingerprint in it is recorded there.
            let group = try await client.alert("alertmanager", alertmanagerBody([("g1", "firing", Self.errorRate),
                                                                                ("g2", "firing", #"{"alertname": "HighErrorRate", "instance": "api"}"#)]))
            let outcomes = try #require(group.json["alerts"]?.array)
            #expect(outcomes.map { $0["outcome"]?.string } == ["opened", "recorded"])
            #expect(outcomes[0]["incident"] == outcomes[1]["incident"])
            // The same group on another runbook is another incident.
            let other = try await client.alert("alertmanager", alertmanagerBody([("g3", "firing", #"{"alertname": "DatabaseConnection"}"#)]))
            #expect(other.json["alerts"]?.array?.first?["outcome"]?.string == "opened")
            #expect(other.json["alerts"]?.array?.first?["runbook"]?.string == "db-connection-errors")
            #expect(try await client.incidents().count == 4)
        }
    }

    @Test func aResolvedAlertIsANoteAndTheIncidentStaysOpen() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let opened = try await client.alert("grafana", Self.grafana(status: "firing"))
            let id = try #require(opened.json["alerts"]?.array?.first?["incident"]?.string)
            #expect(opened.json["alerts"]?.array?.first?["runbook"]?.string == "db-connection-errors")
            #expect(opened.json["alerts"]?.array?.first?["severity"]?.string == "SEV3")

            fixture.clock.advance(by: .minutes(12))
            let resolved = try await client.alert("grafana", Self.grafana(status: "resolved"))
            #expect(resolved.status == 200)
            #expect(resolved.json["alerts"]?.array?.first?["outcome"]?.string == "resolved-note")
            #expect(resolved.json["alerts"]?.array?.first?["incident"]?.string == id)
            let notes = try await client.events(id, type: "note.added")
            #expect(notes.map { $0["data"]?["text"]?.string } == [
                "alert resolved: Database Connection (grafana, fingerprint c6eadffa33fcdf37); the incident stays open until it is resolved here",
            ])
            #expect(notes.first?["login"]?.string == "alert:grafana")
            let view = try await client.get("/api/v1/incidents/\(id)")
            #expect(view.json["status"]?.string == "open")
            #expect(try await client.events(id, type: "incident.resolved").isEmpty)
            #expect(try await client.events(id, type: "alert.received").count == 1)

            // A resolved alert no open incident holds records nothing.
            let stray = try await client.alert("generic", #"{"title": "gone", "fingerprint": "never-fired", "status": "resolved"}"#)
            #expect(stray.status == 202)
            #expect(stray.json["alerts"]?.array?.first?["outcome"]?.string == "no-open-incident")
            #expect(try await client.incidents().count == 1)
        }
    }

    @Test func anAlertWithNoRouteIsTakenAndRecordedNowhere() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let reply = try await client.alert("alertmanager", alertmanagerBody([("disk", "firing", #"{"alertname": "LowDiskSpace"}"#)]))
            #expect(reply.status == 202)
            let outcome = try #require(reply.json["alerts"]?.array?.first)
            #expect(outcome["outcome"]?.string == "no-route")
            #expect(outcome["incident"] == .null)
            #expect(outcome["route"] == .null)
            #expect(try await client.incidents().isEmpty)
            // In a delivery with a routed alert, the other is still answered on its own.
            let mixed = try await client.alert("alertmanager", alertmanagerBody([("disk", "firing", #"{"alertname": "LowDiskSpace"}"#),
                                                                                ("err", "firing", Self.errorRate)]))
            #expect(mixed.status == 200)
            #expect(mixed.json["alerts"]?.array?.map { $0["outcome"]?.string } == ["no-route", "opened"])
        }
    }

    /// The manual's alert rules (§3.2, §11.3) through the shipped alerts.yaml, from each source.
    @Test(arguments: [
        ("alertmanager", "HighErrorRate", "service-unreachable", "SEV2"),
        ("grafana", "High API Response Time", "performance-degradation", "SEV2"),
        ("generic", "SlowResponse", "performance-degradation", "SEV2"),
        ("alertmanager", "DatabaseConnectionPoolExhausted", "db-connection-errors", "SEV2"),
        ("grafana", "Database Connection", "db-connection-errors", "SEV3"),
    ])
    func theShippedRoutesPickTheRunbookAndSeverity(_ source: String, _ alertname: String, _ runbook: String, _ severity: String) async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let body = source == "generic"
                ? #"{"title": "slow", "labels": {"alertname": "\#(alertname)"}}"#
                : alertmanagerBody([("fp", "firing", #"{"alertname": "\#(alertname)"}"#)])
            let reply = try await client.alert(source, body)
            #expect(reply.status == 200)
            let id = try #require(reply.json["alerts"]?.array?.first?["incident"]?.string)
            let view = try await client.get("/api/v1/incidents/\(id)")
            #expect(view.json["runbook"]?.string == runbook)
            #expect(view.json["severity"]?.string == severity)
            #expect(view.json["status"]?.string == "open")
        }
    }

    @Test func aHostileTitleAndLabelAreStoredAsTextAndShownEscaped() async throws {
        let fixture = try ServerFixture()
        try fixture.writeAlertRules("""
            sources:
              generic: { secret_env: RUNBOOK_ALERT_SECRET }
            routes:
              - match: { team: ops }
                runbook: gated-restore
            """)
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let body = #"{"title": "<script>alert(1)</script>\u001b]0;owned\u0007\u202egnp.exe", "#
                + #""labels": {"team": "ops", "note": "<img src=x onerror=alert(2)>\r\n"}, "fingerprint": "<b>fp</b>"}"#
            let reply = try await client.alert("generic", body)
            #expect(reply.status == 200)
            let id = try #require(reply.json["alerts"]?.array?.first?["incident"]?.string)
            // The incident's title cannot hold control characters: they show as text.
            let view = try await client.get("/api/v1/incidents/\(id)")
            #expect(view.json["title"]?.string == "<script>alert(1)</script>\\e]0;owned\\x07\\u{202E}gnp.exe")
            // The event keeps exactly what was sent; its description shows the control characters as text.
            let event = try #require(try await client.events(id, type: "alert.received").first)
            #expect(event["data"]?["title"]?.string == "<script>alert(1)</script>\u{1B}]0;owned\u{07}\u{202E}gnp.exe")
            #expect(event["data"]?["labels"]?["note"]?.string == "<img src=x onerror=alert(2)>\r\n")
            let description = try #require(event["description"]?.string)
            #expect(!description.unicodeScalars.contains { TextHygiene.isControl($0) })
            #expect(description.contains("\\e]0;owned\\x07\\u{202E}gnp.exe"))
            #expect(description.contains("note=<img src=x onerror=alert(2)>\\"))

            // The post-mortem's timeline in HTML escapes it.
            let html = try await client.get("/api/v1/incidents/\(id)/report?format=html")
            #expect(html.status == 200)
            #expect(!html.text.contains("<script>alert(1)"))
            #expect(!html.text.contains("<img src=x"))
            #expect(!html.text.contains("<b>fp</b>"))
            #expect(html.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.text.contains("&lt;img src=x onerror=alert(2)&gt;"))
            #expect(!html.text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
            // And the Markdown one holds it as text.
            let markdown = try await client.get("/api/v1/incidents/\(id)/report?format=md")
            #expect(markdown.text.contains("alert received from generic"))
        }
    }

    @Test func aBodyThatIsNotAnAlertIsABadRequest() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let notJSON = try await client.alert("generic", "title=x")
            #expect(notJSON.status == 400)
            let wrong = try await client.alert("alertmanager", #"{"version": "4", "alerts": [{"status": "maybe"}]}"#)
            #expect(wrong.status == 400)
            #expect(wrong.detail == #"the alert body is not understood: `alerts[0].status` is "maybe"; expected "firing" or "resolved""#)
            #expect(try await client.incidents().isEmpty)
        }
    }

    @Test func theAlertPathsAreInTheOpenAPIDocument() async throws {
        let fixture = try ServerFixture()
        try await fixture.live(environment: ServerFixture.alertSecrets) { client in
            let document = try await client.get("/api/v1/openapi.json")
            let path = try #require(document.json["paths"]?["/api/v1/alerts/{source}"])
            #expect(path["parameters"]?.array?.first?["schema"]?["enum"] == ["alertmanager", "grafana", "generic"])
            #expect(path["post"]?["security"] == [.object([("alertSecret", [])])])
        }
    }

    static func grafana(status: String) -> String {
        #"{"receiver": "runbook", "status": "\#(status)", "orgId": 1, "version": "1", "groupKey": "{}/{}:{alertname=\"Database Connection\"}", "#
            + #""title": "[\#(status.uppercased())] Database Connection", "state": "\#(status == "firing" ? "alerting" : "ok")", "message": "m", "#
            + #""alerts": [{"status": "\#(status)", "labels": {"alertname": "Database Connection"}, "annotations": {}, "#
            + #""startsAt": "2026-11-27T09:51:03+09:00", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "c6eadffa33fcdf37"}]}"#
    }
}
