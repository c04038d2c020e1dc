/// One alert as a monitoring system delivered it (SPEC §10 "Alerts start runbooks"): where it came from, what
/// identifies it, whether it fires or has resolved, its title and its labels. It is also what an `alert.received`
/// event records.
public struct ReceivedAlert: Sendable, Equatable {
    /// Whether the condition holds (`firing`) or has stopped holding (`resolved`).
    public enum Status: String, Sendable, Equatable, CaseIterable {
        case firing, resolved
    }

    /// The source that sent it: `alertmanager`, `grafana` or `generic` (also the actor of what it records).
    public var source: String
    /// What identifies the alert across deliveries (Alertmanager's and Grafana's per-alert `fingerprint`; for a
    /// sender that gives none, one derived from the labels).
    public var fingerprint: String
    /// The Alertmanager (or Grafana) notification group the delivery belongs to, when the sender names one.
    public var groupKey: String?
    public var status: Status
    /// The alert's own words (its `summary` annotation, else its `alertname`), exactly as sent.
    public var title: String
    /// Its labels, sorted by name.
    public var labels: [AlertLabel]

    public init(source: String, fingerprint: String, groupKey: String? = nil, status: Status, title: String, labels: [AlertLabel]) {
        self.source = source
        self.fingerprint = fingerprint
        self.groupKey = groupKey
        self.status = status
        self.title = title
        self.labels = labels.sorted { $0.name < $1.name }
    }

    /// The value of the label `name`.
    public func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// The key an incident keeps for the alert's fingerprint: the same fingerprint while the incident is open is
    /// the same alert. Fingerprints of two sources are never the same alert.
    public var fingerprintKey: String { Self.fingerprintKey(source: source, fingerprint: fingerprint) }

    /// The key an incident keeps for the alert's notification group, when it has one.
    public var groupKeyKey: String? { groupKey.map { Self.groupKey(source: source, group: $0) } }

    public static func fingerprintKey(source: String, fingerprint: String) -> String { "\(source) fingerprint \(fingerprint)" }
    public static func groupKey(source: String, group: String) -> String { "\(source) group \(group)" }

    /// A fingerprint for a sender that gives none: the first 16 hex digits of the SHA-256 of the sorted labels
    /// (`name=value`, one a line), or of the title when there are no labels. The same alert gets the same one.
    public static func derivedFingerprint(labels: [AlertLabel], title: String) -> String {
        let text = labels.isEmpty ? "title=\(title)\n"
            : labels.sorted { $0.name < $1.name }.map { "\($0.name)=\($0.value)\n" }.joined()
        return String(EventChain.sha256(text).prefix(16))
    }

    /// The title an incident opened by this alert carries: `preferred` (the route's) or the alert's own, with
    /// control characters shown as text (an incident title may not hold them) and cut to 200 characters.
    public func incidentTitle(preferred: String?) -> String {
        let text = TextHygiene.escape(preferred ?? title)
        let trimmed = text.trimmingWhitespace
        let title = trimmed.isEmpty ? "alert \(TextHygiene.escape(fingerprint))" : String(trimmed)
        return title.count > 200 ? String(title.prefix(199)) + "…" : title
    }

    /// The event's payload members.
    var members: [(String, JSONValue)] {
        [("source", .string(source)), ("fingerprint", .string(fingerprint)), ("group_key", .optional(groupKey)),
         ("status", .string(status.rawValue)), ("title", .string(title)),
         ("labels", .object(labels.map { ($0.name, .string($0.value)) }))]
    }

    init?(members data: JSONValue) {
        guard let source = data["source"]?.string, let fingerprint = data["fingerprint"]?.string,
              let status = data["status"]?.string.flatMap(Status.init(rawValue:)), let title = data["title"]?.string,
              let members = data["labels"]?.members else { return nil }
        var labels: [AlertLabel] = []
        for (name, value) in members {
            guard let value = value.string else { return nil }
            labels.append(AlertLabel(name: name, value: value))
        }
        self.init(source: source, fingerprint: fingerprint, groupKey: data["group_key"]?.string, status: status, title: title, labels: labels)
    }
}

/// One label of an alert.
public struct AlertLabel: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
