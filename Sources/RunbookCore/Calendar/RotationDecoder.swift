/// Reads the `rotations:` section of `runbooks/roster.yaml` (SPEC §3.2), with every problem at its position.
///
/// ```yaml
/// rotations:
///   oncall:                       # a role; a page to it goes to the person on duty
///     timezone: Asia/Seoul
///     shifts:
///       - { name: office-hours, days: weekdays, from: "09:00", to: "18:00", people: [kim] }
///       - { name: night, days: daily, from: "18:00", to: "09:00", people: [lee, park], rotate: weekly, start: "2026-11-30" }
///     overrides:
///       - { person: choi, from: "2026-12-24 18:00", to: "2026-12-26 09:00", reason: "holiday cover" }
/// ```
public enum RotationDecoder {
    static let rotationKeys = ["timezone", "shifts", "overrides"]
    static let shiftKeys = ["name", "days", "from", "to", "people", "rotate", "start"]
    static let overrideKeys = ["person", "from", "to", "reason"]

    /// The rotations, and every problem: errors for what cannot be used, a warning for hours of the week no shift
    /// covers. `roles` gives each roster person's roles.
    public static func decode(_ node: YAMLNode, file: String, roles: [String: [String]], zones: (String) -> ZoneInfo?,
                              defaultZone: ZoneInfo) -> ([Rotation], [Diagnostic]) {
        var reader = ConfigReader(file: file)
        var rotations: [Rotation] = []
        if node.isNull { return ([], []) }
        guard case .mapping(let pairs) = node.content else {
            reader.error(node.mark, "rotations", "expected a mapping of roles to rotations, found \(node.kindName)")
            return ([], reader.diagnostics)
        }
        for pair in pairs {
            let role = pair.key.scalar ?? ""
            let path = "rotations.\(role)"
            let before = reader.diagnostics.count
            guard let f = reader.fields(pair.value, path, allowed: rotationKeys, required: ["shifts"]) else { continue }
            let zone = f["timezone"].map { reader.zone($0, "\(path).timezone", zones: zones) } ?? defaultZone
            guard let zone else { continue }
            var shifts: [Rotation.Shift] = []
            if let list = f["shifts"] {
                if case .sequence(let items) = list.content, !items.isEmpty {
                    for (index, item) in items.enumerated() {
                        if let shift = shift(item, "\(path).shifts[\(index)]", index: index, role: role, roles: roles, reader: &reader) {
                            shifts.append(shift)
                        }
                    }
                } else if case .sequence = list.content {
                    reader.error(list.mark, "\(path).shifts", "expected at least one shift (days, from, to, people)")
                } else {
                    reader.error(list.mark, "\(path).shifts", "expected a list of shifts, found \(list.kindName)")
                }
            }
            var overrides: [Rotation.Cover] = []
            if let list = f["overrides"], !list.isNull {
                if case .sequence(let items) = list.content {
                    for (index, item) in items.enumerated() {
                        let itemPath = "\(path).overrides[\(index)]"
                        guard let o = reader.fields(item, itemPath, allowed: overrideKeys, required: ["person", "from", "to"]) else { continue }
                        let person = o["person"].flatMap { personNode in
                            checkPerson(personNode, "\(itemPath).person", role: role, roles: roles, reader: &reader)
                        }
                        let from = reader.dateTime(o["from"], "\(itemPath).from", zone: zone.rules)
                        let to = reader.dateTime(o["to"], "\(itemPath).to", zone: zone.rules)
                        let reason = reader.string(o["reason"], "\(itemPath).reason")
                        guard let person, let from, let to else { continue }
                        if to <= from {
                            reader.error(o["to"]?.mark ?? item.mark, "\(itemPath).to", "the override is empty: it ends at or before it starts")
                            continue
                        }
                        overrides.append(Rotation.Cover(person: person, start: from, end: to, reason: reason))
                    }
                } else {
                    reader.error(list.mark, "\(path).overrides", "expected a list of overrides, found \(list.kindName)")
                }
            }
            let rotation = Rotation(role: role, zone: zone.rules, zoneLabels: zone.labels, shifts: shifts, overrides: overrides)
            guard reader.diagnostics.count == before else { continue }
            let gaps = rotation.uncoveredMinutes
            if !gaps.isEmpty {
                let listed = gaps.prefix(4).map(Rotation.describe).joined(separator: ", ") + (gaps.count > 4 ? " and \(gaps.count - 4) more" : "")
                reader.warning(pair.key.mark, path, "rotation \(role) leaves \(listed) uncovered; pages then go to every \(role) holder")
            }
            rotations.append(rotation)
        }
        return (rotations, reader.diagnostics.sorted { $0.mark < $1.mark })
    }

    static func shift(_ node: YAMLNode, _ path: String, index: Int, role: String, roles: [String: [String]],
                      reader: inout ConfigReader) -> Rotation.Shift? {
        let before = reader.diagnostics.count
        guard let f = reader.fields(node, path, allowed: shiftKeys, required: ["days", "from", "to", "people"]) else { return nil }
        guard reader.diagnostics.count == before else { return nil }
        let name = reader.string(f["name"], "\(path).name") ?? "shift \(index + 1)"
        let days = reader.days(f["days"], "\(path).days")
        let from = reader.clockTime(f["from"], "\(path).from")
        let to = reader.clockTime(f["to"], "\(path).to")
        var people: [String] = []
        var peopleValid = true
        if let node = f["people"] {
            if case .sequence(let items) = node.content {
                for (position, item) in items.enumerated() {
                    if let person = checkPerson(item, "\(path).people[\(position)]", role: role, roles: roles, reader: &reader) {
                        people.append(person)
                    } else {
                        peopleValid = false
                    }
                }
                if items.isEmpty {
                    reader.error(node.mark, "\(path).people", "expected at least one person")
                    peopleValid = false
                }
            } else if let person = checkPerson(node, "\(path).people", role: role, roles: roles, reader: &reader) {
                people = [person]
            } else {
                peopleValid = false
            }
        }
        var rotate: Rotation.Turn?
        if let node = f["rotate"], let text = reader.string(node, "\(path).rotate") {
            rotate = Rotation.Turn(rawValue: text)
            if rotate == nil {
                reader.error(node.mark, "\(path).rotate", "unknown rotation \"\(TextHygiene.escape(text))\"; expected `daily` or `weekly`")
                return nil
            }
        }
        let start = reader.date(f["start"], "\(path).start")
        if rotate != nil, f["start"] == nil {
            reader.error(node.mark, path, "missing required key `start` (the date the turns count from) for `rotate:`")
            return nil
        }
        if rotate == nil, let node = f["start"] {
            reader.error(node.mark, "\(path).start", "`start:` counts the turns of `rotate:`; add `rotate: daily` or `rotate: weekly`, or remove it")
            return nil
        }
        guard let days, let from, let to, peopleValid else { return nil }
        if from.minuteOfDay == 24 * 60 {
            reader.error(f["from"]?.mark ?? node.mark, "\(path).from", "a shift cannot start at 24:00; write \"00:00\" and the next day")
            return nil
        }
        return Rotation.Shift(name: name, days: days, from: from, to: to, people: people, rotate: rotate, start: start)
    }

    /// A person named in a shift or override: on the roster and holding the role.
    static func checkPerson(_ node: YAMLNode, _ path: String, role: String, roles: [String: [String]], reader: inout ConfigReader) -> String? {
        guard let person = reader.string(node, path) else { return nil }
        guard let held = roles[person] else {
            let hint = Suggestion.nearest(to: person, in: Array(roles.keys)).map { "; did you mean `\($0)`?" } ?? ""
            reader.error(node.mark, path, "`\(TextHygiene.escape(person))` is not in the roster\(hint)")
            return nil
        }
        guard held.contains(role) else {
            reader.error(node.mark, path, "`\(person)` does not hold the role `\(role)` in the roster")
            return nil
        }
        return person
    }
}
