/// `runbooks/alerts.yaml` (SPEC §10 "Alerts start runbooks"): the sources that may send alerts, each with the
/// environment variable that holds its secret, and the routes from label matchers to a runbook and severity.
public struct AlertRules: Sendable, Equatable {
    /// The sources a server accepts alerts from: one endpoint each, `/api/v1/alerts/NAME`.
    public static let sourceNames = ["alertmanager", "grafana", "generic"]

    public var sources: [AlertSource]
    /// In order: the first route that matches an alert decides.
    public var routes: [AlertRoute]

    public init(sources: [AlertSource] = [], routes: [AlertRoute] = []) {
        self.sources = sources
        self.routes = routes
    }

    /// The declared source `name`, if alerts.yaml declares it.
    public func source(_ name: String) -> AlertSource? {
        sources.first { $0.name == name }
    }

    /// The first route that matches `alert`; nil when none does.
    public func route(for alert: ReceivedAlert) -> AlertRoute? {
        routes.first { $0.matches(alert) }
    }
}

/// A source of alerts and the environment variable holding the secret it sends as `Authorization: Bearer SECRET`.
public struct AlertSource: Sendable, Equatable {
    public var name: String
    public var secretEnvironmentVariable: String

    public init(name: String, secretEnvironmentVariable: String) {
        self.name = name
        self.secretEnvironmentVariable = secretEnvironmentVariable
    }
}

/// Where alerts of some labels go: every matcher must hold (and the source must be one of `sources`, when given).
public struct AlertRoute: Sendable, Equatable {
    public var matchers: [AlertMatcher]
    /// The sources the route listens to; nil: all.
    public var sources: [String]?
    public var runbook: String
    /// The severity of the incident it opens; nil: the runbook's own.
    public var severity: String?
    /// The title of the incident it opens; nil: the alert's own.
    public var title: String?
    /// The route's place in alerts.yaml (`routes[2]`), for messages and the server log.
    public var index: Int

    public init(matchers: [AlertMatcher], sources: [String]? = nil, runbook: String, severity: String? = nil, title: String? = nil,
                index: Int = 0) {
        self.matchers = matchers
        self.sources = sources
        self.runbook = runbook
        self.severity = severity
        self.title = title
        self.index = index
    }

    /// Whether every matcher holds for `alert`, and the route listens to its source. A route without matchers
    /// matches nothing (the decoder refuses one).
    public func matches(_ alert: ReceivedAlert) -> Bool {
        if let sources, !sources.contains(alert.source) { return false }
        return !matchers.isEmpty && matchers.allSatisfy { $0.matches(alert) }
    }
}

/// One label matcher: the label equals one of `values` (a list is any-of). An alert without the label never matches.
public struct AlertMatcher: Sendable, Equatable {
    public var label: String
    public var values: [String]

    public init(label: String, values: [String]) {
        self.label = label
        self.values = values
    }

    public func matches(_ alert: ReceivedAlert) -> Bool {
        guard let value = alert.label(label) else { return false }
        return values.contains(value)
    }
}
