/// The stored form of windows frozen into an incident (`calendar.frozen`): self-contained, each window with
/// its zone's rules, so the engine, the watcher and every later process compute the same openings.
extension MaintenanceWindow {
    /// The window for an incident opened at `opening`: its zone's transitions before then are dropped.
    public func frozen(from opening: Instant) -> MaintenanceWindow {
        var copy = self
        copy.zone = zone.trimmed(from: Instant(milliseconds: opening.milliseconds - 8 * 86_400_000))
        return copy
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("title", .optional(title)), ("zone", zone.frozenJSON),
                                              ("labels", .object(zoneLabels.sorted { $0.key < $1.key }.map { (String($0.key), .string($0.value)) }))]
        switch timing {
        case .weekly(let days, let from, let to):
            members += [("days", .array(days.map { .string($0.rawValue) })), ("from", .string(from.description)), ("to", .string(to.description))]
        case .once(let start, let end):
            members += [("start", .int(start.milliseconds)), ("end", .int(end.milliseconds))]
        }
        members.append(("runbooks", .array(runbooks.map { .string($0) })))
        return .object(members.filter { $0.1 != .null })
    }

    init?(json: JSONValue) {
        guard let name = json["name"]?.string, let zone = json["zone"].flatMap(TimeZoneRules.init(frozen:)),
              let runbooks = json["runbooks"]?.array?.compactMap(\.string) else { return nil }
        var labels: [Int: String] = [:]
        for (offset, label) in json["labels"]?.members ?? [] {
            if let seconds = Int(offset), let text = label.string { labels[seconds] = text }
        }
        let timing: Timing
        if let start = json["start"]?.int, let end = json["end"]?.int {
            timing = .once(start: Instant(milliseconds: start), end: Instant(milliseconds: end))
        } else if let days = json["days"]?.array?.compactMap({ $0.string.flatMap(Weekday.init(rawValue:)) }),
                  let from = json["from"]?.string.flatMap(ClockTime.init), let to = json["to"]?.string.flatMap(ClockTime.init) {
            timing = .weekly(days: days, from: from, to: to)
        } else {
            return nil
        }
        self.init(name: name, title: json["title"]?.string, zone: zone, zoneLabels: labels, timing: timing, runbooks: runbooks)
    }
}

extension TimeZoneRules {
    /// The same offsets from `instant` on, without the transitions before it.
    public func trimmed(from instant: Instant) -> TimeZoneRules {
        let seconds = instant.milliseconds.floorDivided(by: 1000).quotient
        guard let first = transitions.firstIndex(where: { $0 > seconds }) else {
            // Every transition is behind: the offset then, or the footer's rule, holds.
            var copy = self
            if footer == nil { copy.initialOffset = Int32(clamping: offset(at: instant)) }
            copy.transitions = footer == nil ? [] : transitions.suffix(1)
            copy.offsets = footer == nil ? [] : offsets.suffix(1)
            return copy
        }
        var copy = self
        copy.initialOffset = Int32(clamping: offset(at: instant))
        copy.transitions = Array(transitions[first...])
        copy.offsets = Array(offsets[first...])
        return copy
    }

    var frozenJSON: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("initial", .int(Int64(initialOffset))),
                                              ("transitions", .array(transitions.map { .int($0) })),
                                              ("offsets", .array(offsets.map { .int(Int64($0)) }))]
        if let footer {
            var rule: [(String, JSONValue)] = [("standard", .int(Int64(footer.standard)))]
            if let daylight = footer.daylight {
                func date(_ rule: PosixRule.DateRule) -> JSONValue {
                    .array([rule.month, rule.week, rule.weekday, rule.seconds].map { .int(Int64($0)) })
                }
                rule += [("daylight", .int(Int64(daylight.offset))), ("start", date(daylight.start)), ("end", date(daylight.end))]
            }
            members.append(("footer", .object(rule)))
        }
        return .object(members)
    }

    init?(frozen json: JSONValue) {
        guard let name = json["name"]?.string, let initial = json["initial"]?.int,
              let transitions = json["transitions"]?.array?.compactMap(\.int), let offsets = json["offsets"]?.array?.compactMap(\.int),
              transitions.count == offsets.count else { return nil }
        self.init(name: name, fixedOffsetSeconds: Int(initial))
        self.transitions = transitions
        self.offsets = offsets.map { Int32(clamping: $0) }
        if let footer = json["footer"] {
            guard let standard = footer["standard"]?.int else { return nil }
            var rule = PosixRule(standard: Int(standard))
            if let daylight = footer["daylight"]?.int {
                func date(_ value: JSONValue?) -> PosixRule.DateRule? {
                    guard let parts = value?.array?.compactMap(\.int), parts.count == 4 else { return nil }
                    return PosixRule.DateRule(month: Int(parts[0]), week: Int(parts[1]), weekday: Int(parts[2]), seconds: Int(parts[3]))
                }
                guard let start = date(footer["start"]), let end = date(footer["end"]) else { return nil }
                rule.daylight = (Int(daylight), start, end)
            }
            self.footer = rule
        }
    }
}

extension PosixRule {
    init(standard: Int) {
        self.standard = standard
        daylight = nil
    }
}
