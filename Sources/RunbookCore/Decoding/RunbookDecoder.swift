/// A runbook with the source positions of its decoded nodes, for lint messages.
public struct DecodedRunbook: Sendable {
    public var runbook: Runbook
    /// Where each decoded node starts, by key path (`states.detect.next`, `escalation.tiers[1].notify[0]`).
    public var marks: [String: SourceMark]
}

/// Walks a YAML node tree into a `Runbook`, collecting every structural error with its position and path.
///
/// Decoding by hand (not Codable) keeps the marks, rejects unknown keys with a suggestion, and reports
/// all problems of a file at once.
public enum RunbookDecoder {
    static let rootKeys = ["runbook", "kind", "title", "source", "summary", "severity", "rto", "rpo", "schedule", "timezone", "roles", "escalation",
                           "initial", "states"]
    static let stateKeys = ["title", "note", "deadline", "rto", "steps", "next", "on_fail", "on_timeout", "resolves", "end", "order", "contains", "window"]
    static let stepKeys = ["id", "title", "note", "run", "timeout", "expect_exit", "input", "goto", "approve", "wait", "needs", "destructive", "sets", "report",
                           "expect", "env", "workdir", "call"]
    static let callKeys = ["runbook", "drill", "env"]

    /// The message for a `timezone:` that names no zone.
    public static let unknownTimeZone = "unknown time zone; use an IANA name such as Asia/Seoul, or +09:00"

    /// Decodes `text` read from `file`. When `expectedID` is given, the runbook id must equal it.
    public static func decode(_ text: String, file: String, expectedID: String? = nil) -> Result<DecodedRunbook, InvalidRunbook> {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text)
        } catch {
            return .failure(InvalidRunbook([Diagnostic(file: file, mark: error.mark, path: "", message: error.message)]))
        }
        guard let root else {
            return .failure(InvalidRunbook([Diagnostic(file: file, mark: SourceMark(line: 1, column: 1), path: "",
                                                       message: "the file is empty; a runbook starts with `runbook: ID`")]))
        }
        let (decoded, diagnostics) = decodePartially(root, file: file, expectedID: expectedID)
        if let decoded, diagnostics.isEmpty {
            return .success(decoded)
        }
        return .failure(InvalidRunbook(diagnostics))
    }

    /// Decodes what can be decoded: a runbook (missing the parts in error) when the skeleton is sound, and
    /// every structural error. Lint runs on the partial runbook so one pass reports all problems of a file.
    static func decodePartially(_ root: YAMLNode, file: String, expectedID: String?) -> (DecodedRunbook?, [Diagnostic]) {
        var walker = Walker(file: file)
        let runbook = walker.runbook(root, expectedID: expectedID)
        return (runbook.map { DecodedRunbook(runbook: $0, marks: walker.marks) }, walker.diagnostics)
    }
}

private struct Walker {
    let file: String
    var diagnostics: [Diagnostic] = []
    var marks: [String: SourceMark] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func error(_ mark: SourceMark, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, mark: mark, path: path, message: message))
    }

    func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The mapping's values by key, after checking for unknown and missing keys.
    mutating func fields(_ node: YAMLNode, _ path: String, allowed: [String], required: [String] = []) -> [String: YAMLNode]? {
        guard case .mapping(let pairs) = node.content else {
            error(node.mark, path, "expected a mapping, found \(describe(node))")
            return nil
        }
        var result: [String: YAMLNode] = [:]
        for pair in pairs {
            let key = pair.key.scalar ?? ""
            guard allowed.contains(key) else {
                let hint = Suggestion.nearest(to: key, in: allowed).map { "; did you mean `\($0)`?" }
                    ?? "; expected one of: \(allowed.joined(separator: ", "))"
                error(pair.key.mark, join(path, key), "unknown key `\(TextHygiene.escape(key))`\(hint)")
                continue
            }
            result[key] = pair.value
            marks[join(path, key)] = pair.value.mark
        }
        for key in required where result[key] == nil {
            error(node.mark, path, "missing required key `\(key)`")
        }
        return result
    }

    func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _) where !node.isNull: "\(node.kindName) \"\(TextHygiene.escape(text))\""
        default: node.kindName
        }
    }

    mutating func string(_ node: YAMLNode?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let text = node.scalar, !node.isNull else {
            error(node.mark, path, "expected a string, found \(describe(node))")
            return nil
        }
        return text
    }

    /// A string shown to people (a title, a choice, a note): refused when it has a control character
    /// (`TextHygiene.isControl`); prose (`lineBreaks`) may span lines.
    mutating func text(_ node: YAMLNode?, _ path: String, as what: String, lineBreaks: Bool = false) -> String? {
        guard let node, let text = string(node, path) else { return nil }
        if let refusal = TextHygiene.refusal(text, as: what, allowingLineBreaks: lineBreaks) {
            error(node.mark, path, refusal)
        }
        return text
    }

    mutating func identifier(_ node: YAMLNode?, _ path: String) -> String? {
        guard let node, let text = string(node, path) else { return nil }
        let valid = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "-" || $0 == "_"
        }
        guard valid, text.first != "-" else {
            error(node.mark, path, "expected an id of ASCII letters, digits, `-` and `_`, found \"\(TextHygiene.escape(text))\"")
            return nil
        }
        return text
    }

    mutating func duration(_ node: YAMLNode?, _ path: String) -> RunbookDuration? {
        guard let node else { return nil }
        guard let text = node.scalar, !node.isNull, let value = RunbookDuration(parsing: text) else {
            let found = node.scalar.map { "\"\(TextHygiene.escape($0))\"" } ?? node.kindName
            error(node.mark, path, "expected a duration like \"5m\", \"1h30m\" or \"24h\", found \(found)")
            return nil
        }
        return value
    }

    mutating func integer(_ node: YAMLNode?, _ path: String, minimum: Int) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let text, true) = node.content, let value = Int(text), value >= minimum else {
            error(node.mark, path, "expected a whole number of at least \(minimum), found \(describe(node))")
            return nil
        }
        return value
    }

    mutating func boolean(_ node: YAMLNode?, _ path: String) -> Bool? {
        guard let node else { return nil }
        guard case .scalar(let text, true) = node.content, let value = YAMLNode.booleanValue(text) else {
            error(node.mark, path, "expected true or false, found \(describe(node))")
            return nil
        }
        return value
    }

    mutating func list(_ node: YAMLNode?, _ path: String) -> [YAMLNode]? {
        guard let node else { return nil }
        guard case .sequence(let items) = node.content else {
            error(node.mark, path, "expected a list, found \(describe(node))")
            return nil
        }
        for (index, item) in items.enumerated() { marks["\(path)[\(index)]"] = item.mark }
        return items
    }

    /// A transition: `escalate` or a state id.
    mutating func transition(_ node: YAMLNode?, _ path: String) -> Transition? {
        guard let node, let text = identifier(node, path) else { return nil }
        return text == "escalate" ? .escalate : .state(text)
    }

    // MARK: - The document

    mutating func runbook(_ node: YAMLNode, expectedID: String?) -> Runbook? {
        guard let f = fields(node, "", allowed: RunbookDecoder.rootKeys,
                             required: ["runbook", "title", "roles", "escalation", "initial", "states"]) else { return nil }
        let id = identifier(f["runbook"], "runbook")
        if let id, let expectedID, id != expectedID, let mark = f["runbook"]?.mark {
            error(mark, "runbook", "the id `\(id)` must match the file name (\(expectedID).yaml); rename one of them")
        }
        let title = text(f["title"], "title", as: "a title")
        let source = text(f["source"], "source", as: "the source")
        let summary = text(f["summary"], "summary", as: "the summary", lineBreaks: true)
        var severity = "SEV2"
        if let node = f["severity"], let text = string(node, "severity") {
            if Runbook.severities.contains(text) {
                severity = text
            } else {
                error(node.mark, "severity", "expected one of \(Runbook.severities.joined(separator: ", ")), found \"\(TextHygiene.escape(text))\"")
            }
        }
        let rto = duration(f["rto"], "rto")
        let rpo = duration(f["rpo"], "rpo")
        var kind = RunbookKind.incident
        if let node = f["kind"], let text = string(node, "kind") {
            if let value = RunbookKind(rawValue: text) {
                kind = value
            } else {
                error(node.mark, "kind", "expected `incident` or `checklist`, found \"\(TextHygiene.escape(text))\"")
            }
        }
        if kind == .checklist {
            if let node = f["severity"] {
                error(node.mark, "severity", "a checklist has no severity; remove `severity:` (a routine check is not an incident)")
            }
            if let node = f["rto"] {
                error(node.mark, "rto", "a checklist has no RTO; remove `rto:` (give its stages a `deadline:` instead)")
            }
        }
        let schedule = f["schedule"].flatMap { self.schedule($0) }
        var timezone: String?
        if let node = f["timezone"], let name = string(node, "timezone") {
            if TimeZoneRules(fixedName: name) != nil || TimeZoneRules.isZoneFileName(name) {
                timezone = name
            } else {
                error(node.mark, "timezone", RunbookDecoder.unknownTimeZone)
            }
        }
        let roles = f["roles"].flatMap { self.roles($0) }
        let escalation = f["escalation"].flatMap { self.escalation($0) }
        let initial = identifier(f["initial"], "initial")
        let states = f["states"].flatMap { self.states($0) }
        guard let id, let title, let roles, let escalation, let initial, let states else { return nil }
        return Runbook(id: id, title: title, source: source, summary: summary, severity: severity, rto: rto, rpo: rpo,
                       roles: roles, escalation: escalation, initial: initial, states: states, kind: kind, schedule: schedule,
                       timezone: timezone)
    }

    /// `schedule:`: one phrase or a list of them.
    mutating func schedule(_ node: YAMLNode) -> Schedule? {
        var phrases: [(String, YAMLNode, String)] = []
        if node.scalar != nil, !node.isNull {
            guard let text = string(node, "schedule") else { return nil }
            phrases = [(text, node, "schedule")]
        } else if let items = list(node, "schedule") {
            if items.isEmpty { error(node.mark, "schedule", "expected at least one schedule phrase, such as \"daily at 09:00\"") }
            for (index, item) in items.enumerated() {
                guard let text = string(item, "schedule[\(index)]") else { return nil }
                phrases.append((text, item, "schedule[\(index)]"))
            }
        } else {
            return nil
        }
        var rules: [ScheduleRule] = []
        for (text, item, path) in phrases {
            switch ScheduleRule.parse(text) {
            case .success(let rule): rules.append(rule)
            case .failure(let problem): error(item.mark, path, problem.message)
            }
        }
        guard rules.count == phrases.count, !rules.isEmpty else { return nil }
        return Schedule(phrases: phrases.map(\.0), rules: rules)
    }

    mutating func roles(_ node: YAMLNode) -> [Role]? {
        guard case .mapping(let pairs) = node.content, !pairs.isEmpty else {
            error(node.mark, "roles", "expected a mapping of role ids to `{ title: ... }`, found \(describe(node))")
            return nil
        }
        var roles: [Role] = []
        for pair in pairs {
            let path = "roles.\(pair.key.scalar ?? "")"
            guard let id = identifier(pair.key, path) else { continue }
            marks[path] = pair.key.mark
            // A role whose body is in error is still kept, so references to it are not reported too.
            if pair.value.scalar != nil, !pair.value.isNull {
                roles.append(Role(id: id, title: text(pair.value, path, as: "a role title") ?? id))
            } else {
                let title = fields(pair.value, path, allowed: ["title"], required: ["title"]).flatMap { text($0["title"], "\(path).title", as: "a role title") }
                roles.append(Role(id: id, title: title ?? id))
            }
        }
        return roles
    }

    mutating func escalation(_ node: YAMLNode) -> EscalationPolicy? {
        guard let f = fields(node, "escalation", allowed: ["repeat", "tiers", "ack_timeout"], required: ["tiers"]) else { return nil }
        let repeatCount = f["repeat"].map { integer($0, "escalation.repeat", minimum: 0) } ?? 0
        let ackTimeout = duration(f["ack_timeout"], "escalation.ack_timeout") ?? EscalationPolicy.defaultAckTimeout
        guard let items = list(f["tiers"], "escalation.tiers") else { return nil }
        if items.isEmpty, let mark = f["tiers"]?.mark {
            error(mark, "escalation.tiers", "expected at least one tier")
        }
        var tiers: [EscalationTier] = []
        for (index, item) in items.enumerated() {
            let path = "escalation.tiers[\(index)]"
            guard let t = fields(item, path, allowed: ["notify", "after", "severities"], required: ["notify", "after"]) else { continue }
            var severities: [String]?
            if let node = t["severities"], let items = list(node, "\(path).severities") {
                severities = []
                for (offset, item) in items.enumerated() {
                    let itemPath = "\(path).severities[\(offset)]"
                    guard let value = string(item, itemPath) else { continue }
                    if Runbook.severities.contains(value) {
                        severities?.append(value)
                    } else {
                        error(item.mark, itemPath, "expected one of \(Runbook.severities.joined(separator: ", ")), found \"\(value)\"")
                    }
                }
            }
            var notify: [String] = []
            if let one = t["notify"], one.scalar != nil {
                notify = identifier(one, "\(path).notify").map { [$0] } ?? []
            } else if let many = list(t["notify"], "\(path).notify") {
                notify = many.enumerated().compactMap { identifier($0.element, "\(path).notify[\($0.offset)]") }
            }
            guard let after = duration(t["after"], "\(path).after") else { continue }
            if let last = tiers.last, after < last.after, let mark = t["after"]?.mark {
                error(mark, "\(path).after", "tiers must be in order of `after`: \(after) comes after \(last.after)")
            }
            tiers.append(EscalationTier(notify: notify, after: after, severities: severities))
        }
        guard let repeatCount else { return nil }
        return EscalationPolicy(repeatCount: repeatCount, tiers: tiers, ackTimeout: ackTimeout)
    }

    mutating func states(_ node: YAMLNode) -> [RunbookState]? {
        guard case .mapping(let pairs) = node.content, !pairs.isEmpty else {
            error(node.mark, "states", "expected a mapping of state ids to stages, found \(describe(node))")
            return nil
        }
        var states: [RunbookState] = []
        for pair in pairs {
            let path = "states.\(pair.key.scalar ?? "")"
            marks[path] = pair.key.mark
            guard let id = identifier(pair.key, path) else { continue }
            // A state whose body is in error is still kept, so references to it are not reported too.
            states.append(state(id, pair.value, path) ?? RunbookState(id: id, title: id, steps: []))
        }
        return states
    }

    mutating func state(_ id: String, _ node: YAMLNode, _ path: String) -> RunbookState? {
        guard let f = fields(node, path, allowed: RunbookDecoder.stateKeys) else { return nil }
        let title = text(f["title"], "\(path).title", as: "a stage title") ?? id
        let note = text(f["note"], "\(path).note", as: "a note", lineBreaks: true)
        let deadline = duration(f["deadline"], "\(path).deadline")
        let rto = duration(f["rto"], "\(path).rto")
        let next = identifier(f["next"], "\(path).next")
        let onFail = transition(f["on_fail"], "\(path).on_fail")
        let onTimeout = transition(f["on_timeout"], "\(path).on_timeout") ?? .escalate
        let resolves = boolean(f["resolves"], "\(path).resolves") ?? false
        let end = boolean(f["end"], "\(path).end") ?? false
        let contains = boolean(f["contains"], "\(path).contains") ?? false
        let window = identifier(f["window"], "\(path).window")
        var sequential = false
        if let node = f["order"], let text = string(node, "\(path).order") {
            switch text {
            case "sequential": sequential = true
            case "any": sequential = false
            default: error(node.mark, "\(path).order", "expected `sequential` or `any`, found \"\(TextHygiene.escape(text))\"")
            }
        }
        var steps: [Step] = []
        if let items = f["steps"].flatMap({ list($0, "\(path).steps") }) {
            var seen: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                let stepPath = "\(path).steps[\(index)]"
                guard let step = step(item, stepPath) else { continue }
                if let first = seen[step.id] {
                    error(marks["\(stepPath).id"] ?? item.mark, "\(stepPath).id",
                          "duplicate step id `\(step.id)` (also steps[\(first)]); step ids are unique within a state")
                }
                seen[step.id] = index
                steps.append(step)
            }
        }
        return RunbookState(id: id, title: title, note: note, deadline: deadline, rto: rto, steps: steps, next: next,
                            onFail: onFail, onTimeout: onTimeout, resolves: resolves, end: end, sequential: sequential,
                            contains: contains, window: window)
    }

    mutating func step(_ node: YAMLNode, _ path: String) -> Step? {
        guard let f = fields(node, path, allowed: RunbookDecoder.stepKeys, required: ["id", "title"]) else { return nil }
        let id = identifier(f["id"], "\(path).id")
        let title = text(f["title"], "\(path).title", as: "a step title")
        let note = text(f["note"], "\(path).note", as: "a note", lineBreaks: true)
        let timeout = duration(f["timeout"], "\(path).timeout")
        let kinds = ["run", "input", "approve", "wait", "call"].filter { f[$0] != nil }
        if kinds.count > 1, let mark = f[kinds[1]].map({ $0.mark }) {
            error(mark, "\(path).\(kinds[1])", "a step has one kind, found both `\(kinds[0])` and `\(kinds[1])`; split it into two steps")
        }
        if f["expect_exit"] != nil, f["run"] == nil, let mark = f["expect_exit"]?.mark {
            error(mark, "\(path).expect_exit", "`expect_exit` applies to command steps; add `run:` or remove it")
        }
        for key in ["expect", "env", "workdir"] where f[key] != nil && f["run"] == nil {
            if let mark = f[key]?.mark { error(mark, "\(path).\(key)", "`\(key)` applies to command steps; add `run:` or remove it") }
        }
        if f["goto"] != nil, f["input"] == nil, let mark = f["goto"]?.mark {
            error(mark, "\(path).goto", "`goto` applies to input steps with `choices`")
        }
        var needs: [String] = []
        if let one = f["needs"], one.scalar != nil {
            needs = identifier(one, "\(path).needs").map { [$0] } ?? []
        } else if let many = list(f["needs"], "\(path).needs") {
            needs = many.enumerated().compactMap { identifier($0.element, "\(path).needs[\($0.offset)]") }
        }
        let destructive = boolean(f["destructive"], "\(path).destructive") ?? false
        if f["destructive"] != nil, f["run"] == nil, let mark = f["destructive"]?.mark {
            error(mark, "\(path).destructive", "`destructive` applies to command steps; add `run:` or remove it")
        }
        if f["sets"] != nil, f["input"] == nil, let mark = f["sets"]?.mark {
            error(mark, "\(path).sets", "`sets` applies to input steps; add `input:` or remove it")
        }
        if f["report"] != nil, f["input"] == nil, let mark = f["report"]?.mark {
            error(mark, "\(path).report", "`report` applies to input steps; add `input:` or remove it")
        }
        var kind = StepKind.manual
        if let run = f["run"] {
            guard let command = string(run, "\(path).run") else { return nil }
            let expect = f["expect_exit"].flatMap { integer($0, "\(path).expect_exit", minimum: 0) } ?? 0
            if command.trimmingWhitespace.isEmpty {
                error(run.mark, "\(path).run", "the command is empty")
            }
            let expectation = f["expect"].flatMap { self.expectation($0, "\(path).expect") }
            let environment = f["env"].map { self.environment($0, "\(path).env") } ?? []
            var workdir: String?
            if let node = f["workdir"], let text = text(node, "\(path).workdir", as: "a directory") {
                if text.trimmingWhitespace.isEmpty {
                    error(node.mark, "\(path).workdir", "the directory is empty; name one, or remove `workdir`")
                }
                workdir = text
            }
            kind = .command(CommandSpec(run: command, expectExit: Int32(clamping: expect), expect: expectation, environment: environment,
                                        workdir: workdir))
        } else if let input = f["input"] {
            guard var spec = inputSpec(input, stepGoto: f["goto"], path) else { return nil }
            if let node = f["sets"], let value = string(node, "\(path).sets") {
                if let target = InputTarget(rawValue: value) {
                    spec.sets = target
                    let invalid = (spec.choices ?? []).filter { !Runbook.severities.contains($0) }
                    if spec.choices == nil || !invalid.isEmpty {
                        error(node.mark, "\(path).sets", "`sets: severity` needs choices among \(Runbook.severities.joined(separator: ", "))"
                              + (invalid.isEmpty ? "" : "; not a severity: \(invalid.joined(separator: ", "))"))
                    }
                } else {
                    error(node.mark, "\(path).sets", "expected `severity`, found \"\(TextHygiene.escape(value))\"")
                }
            }
            if let node = f["report"], let value = string(node, "\(path).report") {
                if let section = ReportSection(rawValue: value) {
                    spec.report = section
                } else {
                    let sections = ReportSection.allCases.map(\.rawValue)
                    error(node.mark, "\(path).report", "unknown post-mortem section \"\(TextHygiene.escape(value))\"; expected one of "
                          + sections.joined(separator: ", ") + Suggestion.didYouMean(value, in: sections))
                }
            }
            kind = .input(spec)
        } else if let approve = f["approve"] {
            guard let spec = approvalSpec(approve, "\(path).approve") else { return nil }
            kind = .approval(spec)
        } else if let wait = f["wait"] {
            guard let time = duration(wait, "\(path).wait") else { return nil }
            kind = .wait(time)
        } else if let call = f["call"] {
            guard let spec = callSpec(call, "\(path).call") else { return nil }
            kind = .call(spec)
        }
        guard let id, let title else { return nil }
        return Step(id: id, title: title, note: note, kind: kind, timeout: timeout, needs: needs, destructive: destructive)
    }

    /// `expect: { match: REGEX }` or `{ number: REGEX, below|above|equals: N, unit: TEXT }`, with `in: stdout|output`.
    mutating func expectation(_ node: YAMLNode, _ path: String) -> CommandExpectation? {
        let comparisons = ["below", "above", "equals"]
        guard let f = fields(node, path, allowed: ["match", "number"] + comparisons + ["unit", "in"]) else { return nil }
        var stream = CommandExpectation.Stream.stdout
        if let node = f["in"], let text = string(node, "\(path).in") {
            if let value = CommandExpectation.Stream(rawValue: text) {
                stream = value
            } else {
                error(node.mark, "\(path).in", "expected `stdout` or `output` (stdout, then stderr), found \"\(TextHygiene.escape(text))\"")
            }
        }
        let unit = text(f["unit"], "\(path).unit", as: "a unit")
        let given = comparisons.filter { f[$0] != nil }
        switch (f["match"], f["number"]) {
        case (nil, nil):
            error(node.mark, path, "`expect` needs `match:` (a regex the output must match) or `number:` (a regex with one capture group "
                  + "around the number, and `below:`, `above:` or `equals:`)")
            return nil
        case (let match?, let number?):
            let second = match.mark < number.mark ? ("number", number) : ("match", match)
            error(second.1.mark, "\(path).\(second.0)", "`match` and `number` cannot be used together; keep one (write two steps to check both)")
            return nil
        case (let match?, nil):
            for key in given + (f["unit"] != nil ? ["unit"] : []) {
                if let mark = f[key]?.mark { error(mark, "\(path).\(key)", "`\(key)` applies to `number:`; `match:` only checks that the regex matches") }
            }
            guard let pattern = regex(match, "\(path).match", groups: nil) else { return nil }
            return CommandExpectation(check: .match(pattern: pattern), unit: unit, stream: stream)
        case (nil, let number?):
            let pattern = regex(number, "\(path).number", groups: 1)
            var comparison: CommandExpectation.Comparison?
            if given.isEmpty {
                error(node.mark, path, "`number` needs one of `below:`, `above:` or `equals:` to compare the number with")
            } else if given.count > 1, let mark = f[given[1]]?.mark {
                error(mark, "\(path).\(given[1])", "give one of `below`, `above` and `equals`, found both `\(given[0])` and `\(given[1])`")
            } else if let key = given.first, let bound = f[key] {
                if case .scalar(let text, _) = bound.content, !bound.isNull, let value = CommandExpectation.Comparison(key: key, text: text) {
                    comparison = value
                } else {
                    error(bound.mark, "\(path).\(key)", "expected a number like 80 or 99.5, found \(describe(bound))")
                }
            }
            guard let pattern, let comparison else { return nil }
            return CommandExpectation(check: .number(pattern: pattern, comparison), unit: unit, stream: stream)
        }
    }

    /// A regex that compiles, with exactly `groups` capture groups when given.
    mutating func regex(_ node: YAMLNode, _ path: String, groups: Int?) -> String? {
        guard let pattern = string(node, path) else { return nil }
        if pattern.isEmpty {
            error(node.mark, path, "the regex is empty")
            return nil
        }
        if let problem = RegexPattern.compileError(pattern) {
            error(node.mark, path, "the regex \"\(TextHygiene.escape(pattern))\" does not compile: \(problem)")
            return nil
        }
        if let groups, RegexPattern.captureGroupCount(pattern) != groups {
            let count = RegexPattern.captureGroupCount(pattern)
            error(node.mark, path, "the regex \"\(TextHygiene.escape(pattern))\" has \(count) capture groups; `number` needs exactly one, "
                  + "around the number, as in \"^([0-9.]+)\" (use (?:…) for other groups)")
            return nil
        }
        return pattern
    }

    /// `env: { NAME: value }`: valid names outside RUNBOOK_, values literal or exactly `$RUNBOOK_VAR_X`.
    mutating func environment(_ node: YAMLNode, _ path: String) -> [EnvironmentEntry] {
        guard case .mapping(let pairs) = node.content else {
            error(node.mark, path, "expected a mapping of variable names to values, found \(describe(node))")
            return []
        }
        var entries: [EnvironmentEntry] = []
        for pair in pairs {
            let name = pair.key.scalar ?? ""
            let entryPath = "\(path).\(name)"
            marks[entryPath] = pair.value.mark
            if let problem = CommandEnvironment.problem(withName: name) {
                error(pair.key.mark, entryPath, problem)
                continue
            }
            if entries.contains(where: { $0.name == name }) {
                error(pair.key.mark, entryPath, "`\(name)` is given twice; keep one")
                continue
            }
            guard let text = pair.value.scalar, !pair.value.isNull else {
                error(pair.value.mark, entryPath, "expected a string, found \(describe(pair.value))")
                continue
            }
            // No environment variable can hold a NUL: the command could never start ("the system refused to start it").
            if text.unicodeScalars.contains("\u{0}") {
                error(pair.value.mark, entryPath, "a value may not contain a NUL character (\\0, U+0000): no environment variable can hold "
                      + "one, so the command could never start; remove it")
                continue
            }
            let value = EnvironmentValue(parsing: text)
            if case .literal = value, text.contains("$" + CommandEnvironment.variablePrefix) || text.contains("${" + CommandEnvironment.variablePrefix) {
                error(pair.value.mark, entryPath, "\"\(TextHygiene.escape(text))\" would be passed as literal text: a value is either exactly "
                      + "`$RUNBOOK_VAR_NAME` (an input's value) or literal text; pass the variable on its own and build the text in `run:`")
                continue
            }
            entries.append(EnvironmentEntry(name: name, value: value))
        }
        return entries
    }

    mutating func inputSpec(_ node: YAMLNode, stepGoto: YAMLNode?, _ path: String) -> InputSpec? {
        let inputPath = "\(path).input"
        guard let f = fields(node, inputPath, allowed: ["choices", "prompt", "goto"]) else { return nil }
        let prompt = text(f["prompt"], "\(inputPath).prompt", as: "a prompt")
        var choices: [String]?
        if let items = list(f["choices"], "\(inputPath).choices") {
            choices = items.enumerated().compactMap { text($0.element, "\(inputPath).choices[\($0.offset)]", as: "a choice") }
            if items.isEmpty { error(node.mark, "\(inputPath).choices", "expected at least one choice") }
        }
        if f["choices"] == nil, f["prompt"] == nil {
            error(node.mark, inputPath, "an input needs `choices: [...]` or a free-text `prompt:`")
        }
        if f["goto"] != nil, stepGoto != nil, let mark = stepGoto?.mark {
            error(mark, "\(path).goto", "`goto` is given twice (here and under `input`); keep one")
        }
        var goto: [(choice: String, state: String)] = []
        let gotoNode = f["goto"] ?? stepGoto
        let gotoPath = f["goto"] != nil ? "\(inputPath).goto" : "\(path).goto"
        if let gotoNode {
            guard case .mapping(let pairs) = gotoNode.content else {
                error(gotoNode.mark, gotoPath, "expected a mapping of choices to state ids, found \(describe(gotoNode))")
                return nil
            }
            for pair in pairs {
                let choice = pair.key.scalar ?? ""
                let targetPath = "\(gotoPath).\(choice)"
                marks[targetPath] = pair.value.mark
                guard let target = identifier(pair.value, targetPath) else { continue }
                if let choices, !choices.contains(choice) {
                    error(pair.key.mark, targetPath, "`\(choice)` is not one of the choices (\(choices.joined(separator: ", ")))"
                          + Suggestion.didYouMean(choice, in: choices))
                } else if choices == nil {
                    error(pair.key.mark, targetPath, "`goto` needs `choices`; a free-text input cannot branch")
                }
                goto.append((choice, target))
            }
        }
        return InputSpec(choices: choices, prompt: prompt, goto: goto)
    }

    /// `call: RUNBOOK` or `call: { runbook: RUNBOOK, drill: true, env: { NAME: value } }`.
    mutating func callSpec(_ node: YAMLNode, _ path: String) -> CallSpec? {
        if node.scalar != nil {
            return identifier(node, path).map { CallSpec(runbook: $0) }
        }
        guard let f = fields(node, path, allowed: RunbookDecoder.callKeys, required: ["runbook"]) else { return nil }
        let runbook = identifier(f["runbook"], "\(path).runbook")
        let drill = boolean(f["drill"], "\(path).drill") ?? false
        // The same `env:` as a command step's: the same names allowed, the same values, the same errors.
        let environment = f["env"].map { self.environment($0, "\(path).env") } ?? []
        guard let runbook else { return nil }
        return CallSpec(runbook: runbook, drill: drill, environment: environment)
    }

    mutating func approvalSpec(_ node: YAMLNode, _ path: String) -> ApprovalSpec? {
        if node.scalar != nil {
            return identifier(node, "\(path).role").map { ApprovalSpec(role: $0) }
        }
        guard let f = fields(node, path, allowed: ["role", "min"], required: ["role"]) else { return nil }
        let role = identifier(f["role"], "\(path).role")
        let minimum = f["min"].map { integer($0, "\(path).min", minimum: 1) } ?? 1
        guard let role, let minimum else { return nil }
        return ApprovalSpec(role: role, min: minimum)
    }
}

extension String {
    public var trimmingWhitespace: Substring {
        var text = self[...]
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
