/// The alerts of one webhook delivery, read from its JSON body (pure: no I/O). Each delivery may carry several
/// alerts, each routed on its own.
///
/// - `alertmanager`: Prometheus Alertmanager's webhook, version 4: `{ "version": "4", "groupKey", "status",
///   "alerts": [{ "status", "labels", "annotations", "startsAt", "endsAt", "fingerprint" }] }`.
/// - `grafana`: Grafana alerting's webhook contact point, the same shape (its `version` is "1") with a `title`,
///   `state` and `message` for the whole group.
/// - `generic`: one alert, `{ "title", "labels", "fingerprint", "status": "firing" | "resolved" }`; only `title` is
///   required (the status defaults to firing, the fingerprint to one derived from the labels).
public enum AlertPayload {
    /// The alerts `body` carries for `source` (one of `AlertRules.sourceNames`), or what is wrong with it.
    public static func alerts(source: String, body: JSONValue) throws(AlertPayloadError) -> [ReceivedAlert] {
        guard body.members != nil else { throw AlertPayloadError("expected a JSON object, found \(kind(body))") }
        switch source {
        case "alertmanager":
            if let version = body["version"], version.string != "4" {
                throw AlertPayloadError("`version` is \(version.text); this endpoint reads Alertmanager's webhook version \"4\"")
            }
            return try grouped(source: source, body: body)
        case "grafana":
            return try grouped(source: source, body: body)
        case "generic":
            return [try generic(body)]
        default:
            throw AlertPayloadError("unknown source `\(TextHygiene.escape(source))`; expected one of \(AlertRules.sourceNames.joined(separator: ", "))")
        }
    }

    /// Alertmanager's shape, which Grafana's webhook shares.
    static func grouped(source: String, body: JSONValue) throws(AlertPayloadError) -> [ReceivedAlert] {
        guard let list = body["alerts"] else { throw AlertPayloadError("missing `alerts`, the list of alerts") }
        guard let items = list.array else { throw AlertPayloadError("`alerts` must be a list, found \(kind(list))") }
        let groupKey = try optionalString(body, "groupKey", path: "groupKey").flatMap { $0.isEmpty ? nil : $0 }
        let groupStatus = try status(body, path: "status")
        // Grafana's title of the whole group, when an alert has neither a summary nor an alertname.
        let groupTitle = try optionalString(body, "title", path: "title")
        var alerts: [ReceivedAlert] = []
        for (index, item) in items.enumerated() {
            let path = "alerts[\(index)]"
            guard item.members != nil else { throw AlertPayloadError("\(path) must be an object, found \(kind(item))") }
            let labels = try stringMembers(item["labels"], path: "\(path).labels")
            let annotations = try stringMembers(item["annotations"], path: "\(path).annotations")
            guard let status = try status(item, path: "\(path).status") ?? groupStatus else {
                throw AlertPayloadError("\(path) has no `status`; expected \"firing\" or \"resolved\"")
            }
            let named = annotations.first { $0.name == "summary" }?.value ?? labels.first { $0.name == "alertname" }?.value ?? groupTitle
            let title = named ?? "alert"
            let fingerprint = try optionalString(item, "fingerprint", path: "\(path).fingerprint").flatMap { $0.isEmpty ? nil : $0 }
                ?? ReceivedAlert.derivedFingerprint(labels: labels, title: title)
            alerts.append(ReceivedAlert(source: source, fingerprint: fingerprint, groupKey: groupKey, status: status, title: title, labels: labels))
        }
        return alerts
    }

    static func generic(_ body: JSONValue) throws(AlertPayloadError) -> ReceivedAlert {
        guard let title = try optionalString(body, "title", path: "title") else {
            throw AlertPayloadError("missing `title`, the alert's one-line summary")
        }
        guard !title.trimmingWhitespace.isEmpty else { throw AlertPayloadError("`title` is empty; give the alert's one-line summary") }
        let labels = try stringMembers(body["labels"], path: "labels")
        let fingerprint = try optionalString(body, "fingerprint", path: "fingerprint").flatMap { $0.isEmpty ? nil : $0 }
            ?? ReceivedAlert.derivedFingerprint(labels: labels, title: title)
        return ReceivedAlert(source: "generic", fingerprint: fingerprint, groupKey: nil, status: try status(body, path: "status") ?? .firing,
                             title: title, labels: labels)
    }

    /// An object of strings (labels, annotations); absent or null is empty.
    static func stringMembers(_ value: JSONValue?, path: String) throws(AlertPayloadError) -> [AlertLabel] {
        guard let value, value != .null else { return [] }
        guard let members = value.members else { throw AlertPayloadError("`\(path)` must be an object of strings, found \(kind(value))") }
        var result: [AlertLabel] = []
        for (name, item) in members {
            guard let text = item.string else {
                throw AlertPayloadError("`\(path).\(TextHygiene.escape(name))` must be a string, found \(kind(item))")
            }
            result.append(AlertLabel(name: name, value: text))
        }
        return result
    }

    static func status(_ object: JSONValue, path: String) throws(AlertPayloadError) -> ReceivedAlert.Status? {
        guard let text = try optionalString(object, path.split(separator: ".").last.map(String.init) ?? path, path: path) else { return nil }
        guard let status = ReceivedAlert.Status(rawValue: text) else {
            throw AlertPayloadError("`\(path)` is \"\(TextHygiene.escape(text))\"; expected \"firing\" or \"resolved\"")
        }
        return status
    }

    static func optionalString(_ object: JSONValue, _ key: String, path: String) throws(AlertPayloadError) -> String? {
        switch object[key] {
        case nil, .some(.null): return nil
        case .some(.string(let text)): return text
        case .some(let other): throw AlertPayloadError("`\(path)` must be a string, found \(kind(other))")
        }
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// What is wrong with a webhook's body, in one sentence (the server answers 400 with it).
public struct AlertPayloadError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
