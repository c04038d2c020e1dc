import RunbookCore

/// Who holds which roles, from `runbooks/roster.yaml`: it decides who may approve an approval step.
public struct Roster: Sendable, Equatable {
    public var roles: [String: [String]]

    public init(roles: [String: [String]] = [:]) {
        self.roles = roles
    }

    /// The roles of `user` (none when the user is not in the roster).
    public func roles(of user: String) -> [String] {
        roles[user] ?? []
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

    /// Parses `roster: { user: [role, ...] }`.
    public static func parse(_ text: String, file: String) throws(UserError) -> Roster {
        func invalid(_ mark: SourceMark, _ message: String) -> UserError {
            UserError(.data, "\(file):\(mark.line):\(mark.column): error: \(message)")
        }
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text)
        } catch {
            throw invalid(error.mark, error.message)
        }
        guard let root else { return Roster() }
        guard case .mapping(let top) = root.content, top.count == 1, top[0].key.scalar == "roster",
              case .mapping(let users) = top[0].value.content else {
            throw invalid(root.mark, "expected `roster:` with a mapping of user names to lists of roles")
        }
        var roles: [String: [String]] = [:]
        for pair in users {
            guard let user = pair.key.scalar else { continue }
            switch pair.value.content {
            case .scalar(let role, _):
                roles[user] = [role]
            case .sequence(let items):
                roles[user] = items.compactMap(\.scalar)
            case .mapping:
                throw invalid(pair.value.mark, "roster.\(user): expected a role or a list of roles")
            }
        }
        return Roster(roles: roles)
    }
}
