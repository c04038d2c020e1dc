import RunbookCore
import Testing

private func parse(_ source: String, _ json: String) throws -> [ReceivedAlert] {
    try AlertPayload.alerts(source: source, body: try JSONValue(parsing: json))
}

/// The three webhook formats (SPEC §10), read from JSON into alerts, each routed on its own.
@Suite struct AlertPayloadTests {
    /// Alertmanager's webhook version 4, as Alertmanager 0.27 sends it: one group, two alerts, one of them resolved.
    static let alertmanager = #"""
        {
          "receiver": "runbook",
          "status": "firing",
          "alerts": [
            {
              "status": "firing",
              "labels": {"alertname": "HighErrorRate", "instance": "erp.duly.co.kr", "severity": "critical"},
              "annotations": {"summary": "Error rate above 5% for 3 minutes", "description": "6.2% of requests fail"},
              "startsAt": "2026-11-27T09:52:26.739Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus:9090/graph?g0.expr=...",
              "fingerprint": "1a30ba71cca2921f"
            },
            {
              "status": "resolved",
              "labels": {"alertname": "HighErrorRate", "instance": "api.duly.co.kr"},
              "annotations": {},
              "startsAt": "2026-11-27T09:40:00Z",
              "endsAt": "2026-11-27T09:55:00Z",
              "fingerprint": "2b41cb82ddb3a32a"
            }
          ],
          "groupLabels": {"alertname": "HighErrorRate"},
          "commonLabels": {"alertname": "HighErrorRate"},
          "commonAnnotations": {},
          "externalURL": "http://alertmanager:9093",
          "version": "4",
          "groupKey": "{}:{alertname=\"HighErrorRate\"}",
          "truncatedAlerts": 0
        }
        """#

    /// Grafana alerting's webhook contact point (unified alerting): Alertmanager's shape with a group title, state
    /// and message, and version "1".
    static let grafana = #"""
        {
          "receiver": "runbook",
          "status": "firing",
          "orgId": 1,
          "alerts": [
            {
              "status": "firing",
              "labels": {"alertname": "High Error Rate", "grafana_folder": "ERP"},
              "annotations": {},
              "startsAt": "2026-11-27T09:51:03.157076+09:00",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "https://grafana.example/alerting/1afz29v7z/edit",
              "fingerprint": "c6eadffa33fcdf37",
              "silenceURL": "https://grafana.example/alerting/silence/new",
              "dashboardURL": "",
              "panelURL": "",
              "values": {"B": 6.2, "C": 1},
              "valueString": "[ var='B' labels={} value=6.2 ]"
            }
          ],
          "groupLabels": {"alertname": "High Error Rate"},
          "commonLabels": {"alertname": "High Error Rate"},
          "commonAnnotations": {},
          "externalURL": "https://grafana.example/",
          "version": "1",
          "groupKey": "{}/{}:{alertname=\"High Error Rate\"}",
          "truncatedAlerts": 0,
          "title": "[FIRING:1] High Error Rate (ERP)",
          "state": "alerting",
          "message": "**Firing**\n\nValue: B=6.2"
        }
        """#

    @Test func alertmanagerVersion4() throws {
        let alerts = try parse("alertmanager", Self.alertmanager)
        let group = "{}:{alertname=\"HighErrorRate\"}"
        #expect(alerts == [
            ReceivedAlert(source: "alertmanager", fingerprint: "1a30ba71cca2921f", groupKey: group, status: .firing,
                          title: "Error rate above 5% for 3 minutes",
                          labels: [AlertLabel(name: "alertname", value: "HighErrorRate"), AlertLabel(name: "instance", value: "erp.duly.co.kr"),
                                   AlertLabel(name: "severity", value: "critical")]),
            // No summary: the alertname is its title.
            ReceivedAlert(source: "alertmanager", fingerprint: "2b41cb82ddb3a32a", groupKey: group, status: .resolved, title: "HighErrorRate",
                          labels: [AlertLabel(name: "alertname", value: "HighErrorRate"), AlertLabel(name: "instance", value: "api.duly.co.kr")]),
        ])
    }

    @Test func grafanaUnifiedAlerting() throws {
        let alerts = try parse("grafana", Self.grafana)
        #expect(alerts == [
            ReceivedAlert(source: "grafana", fingerprint: "c6eadffa33fcdf37", groupKey: "{}/{}:{alertname=\"High Error Rate\"}", status: .firing,
                          title: "High Error Rate",
                          labels: [AlertLabel(name: "alertname", value: "High Error Rate"), AlertLabel(name: "grafana_folder", value: "ERP")]),
        ])
    }

    @Test func genericWithEverything() throws {
        let alerts = try parse("generic", #"{"title": "Disk 93% full", "labels": {"host": "db1", "alertname": "LowDiskSpace"}, "fingerprint": "disk-db1", "status": "resolved"}"#)
        #expect(alerts == [ReceivedAlert(source: "generic", fingerprint: "disk-db1", status: .resolved, title: "Disk 93% full",
                                         labels: [AlertLabel(name: "alertname", value: "LowDiskSpace"), AlertLabel(name: "host", value: "db1")])])
    }

    /// Without a fingerprint, the same labels give the same one (and a title alone stands in for no labels);
    /// without a status, the alert fires.
    @Test func genericWithOnlyATitle() throws {
        let first = try parse("generic", #"{"title": "backup failed", "labels": {"job": "db-backup", "env": "prod"}}"#)
        let again = try parse("generic", #"{"title": "backup failed again", "labels": {"env": "prod", "job": "db-backup"}}"#)
        #expect(first.first?.status == .firing)
        #expect(first.first?.fingerprint.count == 16)
        #expect(first.first?.fingerprint == again.first?.fingerprint)
        let other = try parse("generic", #"{"title": "backup failed", "labels": {"job": "db-backup", "env": "staging"}}"#)
        #expect(other.first?.fingerprint != first.first?.fingerprint)
        let bare = try parse("generic", #"{"title": "backup failed"}"#)
        #expect(bare.first?.fingerprint == ReceivedAlert.derivedFingerprint(labels: [], title: "backup failed"))
        #expect(bare.first?.fingerprint != ReceivedAlert.derivedFingerprint(labels: [], title: "backup failed!"))
    }

    @Test(arguments: [
        ("alertmanager", #"{"version": "3", "alerts": []}"#, #"`version` is "3"; this endpoint reads Alertmanager's webhook version "4""#),
        ("alertmanager", #"{"version": "4"}"#, "missing `alerts`, the list of alerts"),
        ("alertmanager", #"{"version": "4", "alerts": {}}"#, "`alerts` must be a list, found an object"),
        ("alertmanager", #"{"alerts": [7]}"#, "alerts[0] must be an object, found a number"),
        ("alertmanager", #"{"alerts": [{"labels": {"a": "b"}}]}"#, #"alerts[0] has no `status`; expected "firing" or "resolved""#),
        ("alertmanager", #"{"alerts": [{"status": "pending"}]}"#, #"`alerts[0].status` is "pending"; expected "firing" or "resolved""#),
        ("alertmanager", #"{"status": "firing", "alerts": [{}, {"labels": {"count": 3}}]}"#, "`alerts[1].labels.count` must be a string, found a number"),
        ("grafana", #"{"alerts": [{"status": "firing", "annotations": []}]}"#, "`alerts[0].annotations` must be an object of strings, found a list"),
        ("grafana", #"{"alerts": [{"status": "firing", "fingerprint": 12}]}"#, "`alerts[0].fingerprint` must be a string, found a number"),
        ("generic", #"{"labels": {}}"#, "missing `title`, the alert's one-line summary"),
        ("generic", #"{"title": "  "}"#, "`title` is empty; give the alert's one-line summary"),
        ("generic", #"{"title": "x", "status": "FIRING"}"#, #"`status` is "FIRING"; expected "firing" or "resolved""#),
        ("generic", #"[{"title": "x"}]"#, "expected a JSON object, found a list"),
    ])
    func malformedBodiesAreExplained(_ source: String, _ json: String, _ message: String) throws {
        #expect(throws: AlertPayloadError(message)) {
            _ = try parse(source, json)
        }
    }

    /// A hostile title or label is kept as sent (it is data); an incident's title shows its control characters as text.
    @Test func hostileTextIsKeptAndTheIncidentTitleIsClean() throws {
        let alerts = try parse("generic", #"{"title": "<script>alert(1)</script>\u001b[2J\u202e", "labels": {"x\u0007": "<b>"}}"#)
        let alert = try #require(alerts.first)
        #expect(alert.title == "<script>alert(1)</script>\u{1B}[2J\u{202E}")
        #expect(alert.labels == [AlertLabel(name: "x\u{07}", value: "<b>")])
        #expect(alert.incidentTitle(preferred: nil) == "<script>alert(1)</script>\\e[2J\\u{202E}")
        #expect(alert.labelsText == "x\\x07=<b>")
        #expect(alert.incidentTitle(preferred: "Error rate") == "Error rate")
        let long = ReceivedAlert(source: "generic", fingerprint: "f", status: .firing, title: String(repeating: "가", count: 300), labels: [])
        #expect(long.incidentTitle(preferred: nil).count == 200)
    }
}
