extension Message {
    /// The words of alert intake (SPEC §10 "Alerts start runbooks"): the `alert.received` event and the server's
    /// answers to a webhook. Reached as `Message.server(.alert(…))`.
    public enum AlertText: Sendable, Equatable {
        /// The `alert.received` event in a timeline.
        case received(source: String, status: String, title: String, fingerprint: String, labels: String)
        /// The note a resolved alert leaves on its incident (recorded in English, as data).
        case resolvedNote(source: String, title: String, fingerprint: String)
        /// A webhook for a source alerts.yaml does not declare.
        case sourceNotDeclared(source: String, file: String)
        /// A declared source whose secret variable is not set in the server's environment.
        case secretUnset(source: String, variable: String)
        /// A webhook without the source's secret, or with another one.
        case secretMissing(source: String)
        case secretWrong(source: String)
        /// The folder has no alerts.yaml: alert intake is off.
        case noRules(file: String)
        /// alerts.yaml has errors: intake is refused until they are fixed.
        case rulesInvalid(first: String, more: Int)
        case badPayload(String)
        /// The server's log line for an alert no route matches.
        case noRoute(source: String, title: String, fingerprint: String, labels: String)

        public func text(in l: Language) -> String {
            switch self {
            case .received(let source, let status, let title, let fingerprint, let labels):
                let labelText = labels.isEmpty ? "" : "; \(labels)"
                return status == "resolved"
                    ? l.choose(english: "alert resolved (\(source)): \(title) (fingerprint \(fingerprint)\(labelText))",
                               korean: "알림 해소 (\(source)): \(title) (fingerprint \(fingerprint)\(labelText))")
                    : l.choose(english: "alert received from \(source): \(title) (fingerprint \(fingerprint)\(labelText))",
                               korean: "알림 수신 (\(source)): \(title) (fingerprint \(fingerprint)\(labelText))")
            case .resolvedNote(let source, let title, let fingerprint):
                return l.choose(english: "alert resolved: \(title) (\(source), fingerprint \(fingerprint)); the incident stays open until it is resolved here",
                                korean: "알림 해소: \(title) (\(source), fingerprint \(fingerprint)); 장애는 여기서 해결할 때까지 열려 있습니다")
            case .sourceNotDeclared(let source, let file):
                return l.choose(english: "alert source \(source) is not declared in \(file); add it under `sources:` with its secret_env",
                                korean: "알림 소스 \(source)이(가) \(file)에 없습니다. `sources:` 아래에 secret_env와 함께 추가하십시오")
            case .secretUnset(let source, let variable):
                return l.choose(english: "alerts from \(source) are refused: set \(variable) in the server's environment to the secret \(source) sends, then restart `runbook serve`",
                                korean: "\(source) 알림을 거부합니다: 서버 환경 변수 \(variable)에 \(source)이(가) 보내는 비밀 값을 설정하고 `runbook serve`를 다시 시작하십시오")
            case .secretMissing(let source):
                return l.choose(english: "this webhook needs the secret of \(source): send `Authorization: Bearer SECRET`",
                                korean: "이 웹훅에는 \(source)의 비밀 값이 필요합니다: `Authorization: Bearer 비밀값`을 보내십시오")
            case .secretWrong(let source):
                return l.choose(english: "the secret sent is not the one of \(source); check the value the sender uses against the server's",
                                korean: "보낸 비밀 값이 \(source)의 것이 아닙니다. 보내는 쪽의 값과 서버의 값을 확인하십시오")
            case .noRules(let file):
                return l.choose(english: "alert intake is off: there is no \(file); write one (see README, \"Alerts open incidents\")",
                                korean: "알림 수신이 꺼져 있습니다: \(file)이(가) 없습니다. 작성하십시오 (README \"Alerts open incidents\" 참고)")
            case .rulesInvalid(let first, let more):
                let rest = more > 0 ? l.choose(english: " (and \(more) more)", korean: " (외 \(more)개)") : ""
                return l.choose(english: "alerts are refused until alerts.yaml is fixed: \(first)\(rest); run `runbook lint`",
                                korean: "alerts.yaml을 고칠 때까지 알림을 거부합니다: \(first)\(rest). `runbook lint`를 실행하십시오")
            case .badPayload(let reason):
                return l.choose(english: "the alert body is not understood: \(reason)", korean: "알림 본문을 이해할 수 없습니다: \(reason)")
            case .noRoute(let source, let title, let fingerprint, let labels):
                return l.choose(english: "no route for alert \(title) from \(source) (fingerprint \(fingerprint); \(labels)): nothing recorded; add a route to alerts.yaml",
                                korean: "알림 \(title) (\(source), fingerprint \(fingerprint); \(labels))에 맞는 경로가 없습니다: 기록하지 않음. alerts.yaml에 경로를 추가하십시오")
            }
        }

        static var samples: [AlertText] {
            [.received(source: "alertmanager", status: "firing", title: "Error rate above 5%", fingerprint: "1a30ba71cca2921f",
                       labels: "alertname=HighErrorRate, severity=critical"),
             .received(source: "grafana", status: "resolved", title: "High Error Rate", fingerprint: "c6eadffa33fcdf37", labels: ""),
             .resolvedNote(source: "alertmanager", title: "Error rate above 5%", fingerprint: "1a30ba71cca2921f"),
             .sourceNotDeclared(source: "grafana", file: "runbooks/alerts.yaml"),
             .secretUnset(source: "alertmanager", variable: "RUNBOOK_ALERTMANAGER_SECRET"),
             .secretMissing(source: "generic"), .secretWrong(source: "generic"), .noRules(file: "runbooks/alerts.yaml"),
             .rulesInvalid(first: "runbooks/alerts.yaml:4:14: error: routes[0].runbook: unknown runbook `x`", more: 0),
             .rulesInvalid(first: "runbooks/alerts.yaml:4:14: error: routes[0].runbook: unknown runbook `x`", more: 2),
             .badPayload("missing `alerts`, the list of alerts"),
             .noRoute(source: "alertmanager", title: "Low disk space", fingerprint: "ab12", labels: "alertname=LowDiskSpace")]
        }
    }
}

extension ReceivedAlert {
    /// `alertname=HighErrorRate, severity=critical`, control characters shown as text.
    public var labelsText: String {
        labels.map { "\(TextHygiene.escape($0.name))=\(TextHygiene.escape($0.value))" }.joined(separator: ", ")
    }

    /// The `alert.received` event's sentence.
    var message: Message {
        .server(.alert(.received(source: source, status: status.rawValue, title: TextHygiene.escape(title),
                                 fingerprint: TextHygiene.escape(fingerprint), labels: labelsText)))
    }
}
