public import RunbookCore

/// Who holds which roles, from `runbooks/roster.yaml`: it decides who may approve an approval step, and
/// which operating-system logins prove a person's identity (SPEC §3.1).
///
/// ```yaml
/// roster:
///   kim:  [oncall]                                   # roles only: the name is declared, not proven
///   choi: { roles: [manager], logins: [choi] }       # approvals as choi only from the login choi
/// ```
public struct Roster: Sendable, Equatable {
    public var roles: [String: [String]]
    /// The logins each person's entry binds; people whose entry binds none are absent.
    public var bindings: [String: [String]]
    /// On-call rotations by role (`rotations:`, SPEC §3.2): a page to the role names the person on duty.
    public var rotations: [Rotation]
    /// What `runbook lint` warns about (a rotation leaving hours uncovered); never a reason to refuse the file.
    public var warnings: [Diagnostic]

    public init(roles: [String: [String]] = [:], logins: [String: [String]] = [:], rotations: [Rotation] = [], warnings: [Diagnostic] = []) {
        self.roles = roles
        self.bindings = logins.filter { !$0.value.isEmpty }
        self.rotations = rotations
        self.warnings = warnings
    }

    /// The rotation of `role`, if it has one.
    public func rotation(of role: String) -> Rotation? { rotations.first { $0.role == role } }

    /// The person on duty for `role` at `instant`, when the role has a rotation and someone is on duty.
    public func onDuty(_ role: String, at instant: Instant) -> Rotation.OnDuty? {
        rotation(of: role)?.onDuty(at: instant)
    }

    /// The roles of `user` (none when the user is not in the roster).
    public func roles(of user: String) -> [String] {
        roles[user] ?? []
    }

    /// The logins `user`'s entry binds them to; nil when it binds none (or the user is not in the roster).
    public func logins(of user: String) -> [String]? {
        bindings[user]
    }

    /// The holders of each role, by name in alphabetical order.
    public var holders: [String: [String]] {
        var result: [String: [String]] = [:]
        for (user, held) in roles.sorted(by: { $0.key < $1.key }) {
            for role in held { result[role, default: []].append(user) }
        }
        return result
    }

    /// Reads the roster file; a missing file is an empty roster.
    public static func load(directory: String) throws(UserError) -> Roster {
        let path = "\(directory)/roster.yaml"
        guard FileIO.exists(path) else { return Roster() }
        let text = try FileIO.read(path)
        return try parse(text, file: path)
    }

    /// Every problem of the roster's `rotations:` (errors and warnings), for `runbook lint`; empty when the file's
    /// `roster:` itself does not parse (`parse` says why).
    public static func rotationDiagnostics(_ text: String, file: String) -> [Diagnostic] {
        guard let root = try? YAMLParser.parse(text), case .mapping(let top) = root.content,
              let people = top.first(where: { $0.key.scalar == "roster" })?.value,
              let rotations = top.first(where: { $0.key.scalar == "rotations" })?.value,
              let roster = try? RosterReader(file: file).people(people) else { return [] }
        return RotationDecoder.decode(rotations, file: file, roles: roster.roles, zones: TimeZones.info(named:),
                                      defaultZone: TimeZones.localInfo()).1
    }

    /// Parses `roster: { user: [role, ...] | { roles: [role, ...], logins: [login, ...] } }` and `rotations:`.
    ///
    /// The first problem is thrown as `FILE:LINE:COLUMN: error: PATH: MESSAGE`.
    public static func parse(_ text: String, file: String) throws(UserError) -> Roster {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text)
        } catch {
            throw UserError(.data, Diagnostic(file: file, mark: error.mark, path: "", message: error.message).headline)
        }
        guard let root, !root.isNull else { return Roster() }
        return try RosterReader(file: file).roster(root)
    }
}

/// Walks the node tree of a roster file, throwing the first problem with its position and key path.
private struct RosterReader {
    static let entryKeys = ["roles", "logins"]

    let file: String

    func error(_ mark: SourceMark, _ path: String, _ message: String) -> UserError {
        UserError(.data, Diagnostic(file: file, mark: mark, path: path, message: message).headline)
    }

    func roster(_ root: YAMLNode) throws(UserError) -> Roster {
        guard case .mapping(let top) = root.content, let rosterPair = top.first(where: { $0.key.scalar == "roster" }) else {
            throw error(root.mark, "", "expected `roster:` with a mapping of user names to lists of roles")
        }
        for pair in top where !["roster", "rotations"].contains(pair.key.scalar ?? "") {
            let key = pair.key.scalar ?? ""
            let hint = Suggestion.nearest(to: key, in: ["roster", "rotations"]).map { "; did you mean `\($0)`?" } ?? "; expected `roster` and `rotations`"
            throw error(pair.key.mark, key, "unknown key `\(TextHygiene.escape(key))`\(hint)")
        }
        var roster = try people(rosterPair.value)
        if let rotations = top.first(where: { $0.key.scalar == "rotations" })?.value {
            let (decoded, diagnostics) = RotationDecoder.decode(rotations, file: file, roles: roster.roles, zones: TimeZones.info(named:),
                                                                defaultZone: TimeZones.localInfo())
            if let first = diagnostics.first(where: { !$0.isWarning }) { throw UserError(.data, first.headline) }
            roster.rotations = decoded
            roster.warnings = diagnostics
        }
        return roster
    }

    func people(_ people: YAMLNode) throws(UserError) -> Roster {
        if people.isNull { return Roster() }
        guard case .mapping(let pairs) = people.content else {
            throw error(people.mark, "roster", "expected a mapping of user names to lists of roles, found \(people.kindName)")
        }
        var roles: [String: [String]] = [:]
        var logins: [String: [String]] = [:]
        for pair in pairs {
            guard let user = pair.key.scalar, !pair.key.isNull, !user.isEmpty else {
                throw error(pair.key.mark, "roster", "expected a user name, found \(pair.key.kindName)")
            }
            if let refusal = TextHygiene.refusal(user, as: "a name") {
                throw error(pair.key.mark, "roster", "\"\(TextHygiene.escape(user))\": \(refusal)")
            }
            let path = "roster.\(user)"
            switch pair.value.content {
            case .scalar, .sequence:
                roles[user] = try names(pair.value, path, what: "a role or a list of roles")
            case .mapping(let fields):
                // The YAML parser refuses duplicate keys.
                var seen: Set<String> = []
                for field in fields {
                    let key = field.key.scalar ?? ""
                    guard RosterReader.entryKeys.contains(key) else {
                        let hint = Suggestion.nearest(to: key, in: RosterReader.entryKeys).map { "; did you mean `\($0)`?" }
                            ?? "; expected `roles` and `logins`"
                        throw error(field.key.mark, "\(path).\(key)", "unknown key `\(TextHygiene.escape(key))`\(hint)")
                    }
                    seen.insert(key)
                    if key == "roles" {
                        roles[user] = try names(field.value, "\(path).roles", what: "a role or a list of roles")
                    } else {
                        let bound = try names(field.value, "\(path).logins", what: "a list of logins like `[choi]`")
                        if let bad = bound.first(where: { $0.contains(where: { $0.isWhitespace || $0 == ":" }) }) {
                            throw error(field.value.mark, "\(path).logins", "`\(bad)` is not a login name")
                        }
                        logins[user] = bound
                    }
                }
                guard seen.contains("roles") else {
                    throw error(pair.value.mark, path, "missing required key `roles` (write `roles: []` for a person without roles)")
                }
            }
        }
        return Roster(roles: roles, logins: logins)
    }

    /// A scalar or a list of scalars.
    func names(_ node: YAMLNode, _ path: String, what: String) throws(UserError) -> [String] {
        switch node.content {
        case .scalar(let text, _) where !node.isNull && !text.isEmpty:
            if let refusal = TextHygiene.refusal(text, as: "a name") { throw error(node.mark, path, refusal) }
            return [text]
        case .sequence(let items):
            var names: [String] = []
            for (index, item) in items.enumerated() {
                guard let text = item.scalar, !item.isNull, !text.isEmpty else {
                    throw error(item.mark, "\(path)[\(index)]", "expected a name, found \(item.kindName)")
                }
                if let refusal = TextHygiene.refusal(text, as: "a name") {
                    throw error(item.mark, "\(path)[\(index)]", refusal)
                }
                names.append(text)
            }
            return names
        default:
            throw error(node.mark, path, "expected \(what), found \(node.kindName)")
        }
    }
}
