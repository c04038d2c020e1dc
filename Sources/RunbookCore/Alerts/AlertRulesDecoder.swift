/// Reads `runbooks/alerts.yaml` (SPEC §10) by walking its node tree, with every problem at its position.
///
/// ```yaml
/// sources:                         # alertmanager, grafana, generic: each one endpoint, /api/v1/alerts/NAME
///   alertmanager: { secret_env: RUNBOOK_ALERTMANAGER_SECRET }
/// routes:                          # in order: the first route that matches an alert decides
///   - match: { alertname: [HighErrorRate, "High Error Rate"] }   # every label equal; a list is any-of
///     source: alertmanager         # optional: a source or a list of sources (default: every source)
///     runbook: service-unreachable
///     severity: SEV2               # optional: default the runbook's own
///     title: "Error rate above 5% for 3 minutes"                 # optional: default the alert's own
/// ```
public enum AlertRulesDecoder {
    static let rootKeys = ["sources", "routes"]
    static let sourceKeys = ["secret_env"]
    static let routeKeys = ["match", "source", "runbook", "severity", "title"]

    /// The rules, and every problem found. `runbooks`, when known, are the runbooks of the folder by id with their
    /// kind: a route must name one, and one that opens incidents (not a routine check).
    public static func decode(_ text: String, file: String, runbooks: [String: RunbookKind]? = nil) -> (AlertRules, [Diagnostic]) {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text)
        } catch {
            return (AlertRules(), [Diagnostic(file: file, mark: error.mark, path: "", message: error.message)])
        }
        guard let root, !root.isNull else { return (AlertRules(), []) }
        var reader = ConfigReader(file: file)
        var rules = AlertRules()
        if let top = reader.fields(root, "", allowed: rootKeys) {
            if let node = top["sources"], !node.isNull {
                rules.sources = sources(node, reader: &reader)
            }
            if let node = top["routes"], !node.isNull {
                if case .sequence(let items) = node.content {
                    let declared = rules.sources.map(\.name)
                    for (index, item) in items.enumerated() {
                        if let route = route(item, index: index, declared: declared, runbooks: runbooks, reader: &reader) {
                            rules.routes.append(route)
                        }
                    }
                } else {
                    reader.error(node.mark, "routes", "expected a list of routes, found \(node.kindName)")
                }
            }
        }
        return (rules, reader.diagnostics.sorted { $0.mark < $1.mark })
    }

    static func sources(_ node: YAMLNode, reader: inout ConfigReader) -> [AlertSource] {
        guard case .mapping(let pairs) = node.content else {
            reader.error(node.mark, "sources", "expected a mapping of source names (\(AlertRules.sourceNames.joined(separator: ", "))) "
                         + "to their secrets, found \(node.kindName)")
            return []
        }
        var result: [AlertSource] = []
        for pair in pairs {
            let name = pair.key.scalar ?? ""
            let path = "sources.\(name)"
            guard AlertRules.sourceNames.contains(name) else {
                let hint = Suggestion.nearest(to: name, in: AlertRules.sourceNames).map { "; did you mean `\($0)`?" }
                    ?? "; expected one of: \(AlertRules.sourceNames.joined(separator: ", "))"
                reader.error(pair.key.mark, path, "unknown source `\(TextHygiene.escape(name))`\(hint)")
                continue
            }
            guard let fields = reader.fields(pair.value, path, allowed: sourceKeys, required: ["secret_env"]),
                  let variableNode = fields["secret_env"], let variable = reader.string(variableNode, "\(path).secret_env") else { continue }
            guard isEnvironmentName(variable) else {
                reader.error(variableNode.mark, "\(path).secret_env", "expected the name of an environment variable like "
                             + "RUNBOOK_ALERTMANAGER_SECRET (letters, digits and `_`), found \"\(TextHygiene.escape(variable))\"; "
                             + "the secret itself belongs in the server's environment, not in this file")
                continue
            }
            result.append(AlertSource(name: name, secretEnvironmentVariable: variable))
        }
        return result
    }

    static func route(_ node: YAMLNode, index: Int, declared: [String], runbooks: [String: RunbookKind]?,
                      reader: inout ConfigReader) -> AlertRoute? {
        let path = "routes[\(index)]"
        let before = reader.diagnostics.count
        guard let f = reader.fields(node, path, allowed: routeKeys, required: ["match", "runbook"]) else { return nil }
        var matchers: [AlertMatcher] = []
        if let match = f["match"] {
            if case .mapping(let pairs) = match.content {
                if pairs.isEmpty {
                    reader.error(match.mark, "\(path).match", "expected at least one label to match, like `{ alertname: HighErrorRate }`; "
                                 + "a route that matches every alert would open an incident for anything")
                }
                for pair in pairs {
                    let label = pair.key.scalar ?? ""
                    let labelPath = "\(path).match.\(label)"
                    guard let values = reader.names(pair.value, labelPath) else { continue }
                    if values.isEmpty {
                        reader.error(pair.value.mark, labelPath, "expected a value or a list of values, found an empty list")
                        continue
                    }
                    matchers.append(AlertMatcher(label: label, values: values.map(\.0)))
                }
            } else {
                reader.error(match.mark, "\(path).match", "expected a mapping of labels to values, like `{ alertname: HighErrorRate }`, "
                             + "found \(match.kindName)")
            }
        }
        var sources: [String]?
        if let node = f["source"] {
            let named = reader.names(node, "\(path).source") ?? []
            for (name, mark) in named where !declared.contains(name) {
                let known = AlertRules.sourceNames.contains(name)
                let hint = known ? "; declare it under `sources:` with its secret_env"
                    : Suggestion.nearest(to: name, in: AlertRules.sourceNames).map { "; did you mean `\($0)`?" }
                        ?? "; expected one of: \(AlertRules.sourceNames.joined(separator: ", "))"
                reader.error(mark, "\(path).source", (known ? "source `\(name)` is not declared" : "unknown source `\(TextHygiene.escape(name))`") + hint)
            }
            if named.isEmpty { reader.error(node.mark, "\(path).source", "expected a source or a list of sources, found an empty list") }
            sources = named.map(\.0)
        }
        let runbookNode = f["runbook"]
        let runbook = reader.string(runbookNode, "\(path).runbook")
        if let runbook, let runbookNode, let runbooks {
            if let kind = runbooks[runbook] {
                if kind == .checklist {
                    reader.error(runbookNode.mark, "\(path).runbook", "`\(runbook)` is a routine check (kind: checklist), which has no severity "
                                 + "and pages nobody at opening; route alerts to a runbook that handles an incident")
                }
            } else {
                let hint = Suggestion.nearest(to: runbook, in: runbooks.filter { $0.value == .incident }.map(\.key).sorted())
                    .map { "; did you mean `\($0)`?" } ?? ""
                reader.error(runbookNode.mark, "\(path).runbook", "unknown runbook `\(TextHygiene.escape(runbook))`: no such file in the "
                             + "runbooks folder\(hint)")
            }
        }
        var severity: String?
        if let node = f["severity"], let text = reader.string(node, "\(path).severity") {
            if Runbook.severities.contains(text) {
                severity = text
            } else {
                reader.error(node.mark, "\(path).severity", "unknown severity `\(TextHygiene.escape(text))`; expected one of "
                             + Runbook.severities.joined(separator: ", "))
            }
        }
        let title = reader.string(f["title"], "\(path).title")
        if let title, title.trimmingWhitespace.isEmpty, let node = f["title"] {
            reader.error(node.mark, "\(path).title", "expected a title, found an empty string; leave `title:` out to use the alert's own")
        }
        guard reader.diagnostics.count == before, let runbook else { return nil }
        return AlertRoute(matchers: matchers, sources: sources, runbook: runbook, severity: severity, title: title, index: index)
    }

    /// `RUNBOOK_ALERT_SECRET`: a letter or `_`, then letters, digits and `_` (ASCII).
    static func isEnvironmentName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }
    }
}
