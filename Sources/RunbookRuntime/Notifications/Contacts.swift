import RunbookCore

/// How each role is reached, from `contacts.yaml`.
///
/// The file maps roles to a title, an optional phone number and a list of channels:
///
/// ```yaml
/// contacts:
///   oncall:
///     title: "1차 대응: 운영팀 당직자"
///     phone: "010-xxxx-xxxx"
///     channels:
///       - { file: "notifications.log" }
///       - { command: "mail -s \"$RUNBOOK_SUBJECT\" oncall@example.com", timeout: 30s }
///       - { webhook: "https://hooks.example.com/x", timeout: 10s }
///       - { stdout: true }
/// external:            # accepted and ignored (people to call by hand)
///   - { name: "Vendor Support", email: "support@example.com" }
/// ```
public struct Contacts: Sendable, Equatable {
    /// One role's entry.
    public struct Contact: Sendable, Equatable {
        public var role: String
        public var title: String
        public var phone: String?
        public var channels: [NotificationChannel]

        public init(role: String, title: String, phone: String? = nil, channels: [NotificationChannel]) {
            self.role = role
            self.title = title
            self.phone = phone
            self.channels = channels
        }
    }

    /// The contacts by role.
    public var contacts: [String: Contact]

    public init(contacts: [String: Contact] = [:]) {
        self.contacts = contacts
    }

    /// The channels of `role`, in file order; none for a role the file does not list.
    public func channels(for role: String) -> [NotificationChannel] {
        contacts[role]?.channels ?? []
    }

    /// Reads `DIR/contacts.yaml`; a missing file gives empty contacts.
    ///
    /// Relative paths of `file:` channels are resolved against the parent of `directory`: the folder the
    /// team runs runbook from, which holds `runbooks/`. So `file: notifications.log` with the default
    /// `runbooks` folder is `./notifications.log`, and the same file is written whichever directory a
    /// `--runbooks /srv/ops/runbooks` invocation starts in (`/srv/ops/notifications.log`).
    public static func load(directory: String) throws(UserError) -> Contacts {
        let path = "\(directory)/contacts.yaml"
        guard FileIO.exists(path) else { return Contacts() }
        let text = try FileIO.read(path)
        return try parse(text, file: path, baseDirectory: FileIO.parent(of: directory))
    }

    /// Parses the text of a contacts file read from `file`.
    ///
    /// Relative paths of `file:` channels are joined to `baseDirectory`, and left as written when it is `.`.
    /// The first problem is thrown as `FILE:LINE:COLUMN: error: PATH: MESSAGE`.
    public static func parse(_ text: String, file: String, baseDirectory: String) throws(UserError) -> Contacts {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text)
        } catch {
            throw UserError(.data, Diagnostic(file: file, mark: error.mark, path: "", message: error.message).headline)
        }
        guard let root, !root.isNull else { return Contacts() }
        let reader = ContactsReader(file: file, baseDirectory: baseDirectory)
        return try reader.contacts(root)
    }


    /// `path` joined to `base`, unless it is absolute or `base` is `.`.
    static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") || base == "." || base.isEmpty { return path }
        return base.hasSuffix("/") ? base + path : "\(base)/\(path)"
    }
}

/// Walks the node tree of a contacts file, throwing the first problem with its position and key path.
private struct ContactsReader {
    static let rootKeys = ["contacts", "external"]
    static let contactKeys = ["title", "phone", "channels"]
    static let kindKeys = ["file", "command", "webhook", "stdout"]
    static let channelKeys = kindKeys + ["timeout"]

    let file: String
    let baseDirectory: String

    func error(_ mark: SourceMark, _ path: String, _ message: String) -> UserError {
        UserError(.data, Diagnostic(file: file, mark: mark, path: path, message: message).headline)
    }

    func contacts(_ root: YAMLNode) throws(UserError) -> Contacts {
        let top = try fields(root, "", allowed: Self.rootKeys,
                             expecting: "expected a mapping with `contacts:` (roles and their channels)")
        // `external:` lists people to call by hand; it is documentation for people, not for runbook.
        guard let roles = top["contacts"]?.value, !roles.isNull else { return Contacts() }
        guard case .mapping(let pairs) = roles.content else {
            throw error(roles.mark, "contacts", "expected a mapping of roles to their contacts, found \(describe(roles))")
        }
        var contacts: [String: Contacts.Contact] = [:]
        for pair in pairs {
            guard let role = pair.key.scalar, !role.isEmpty else {
                throw error(pair.key.mark, "contacts", "expected a role name, found \(describe(pair.key))")
            }
            contacts[role] = try contact(role, pair.value, "contacts.\(role)")
        }
        return Contacts(contacts: contacts)
    }

    func contact(_ role: String, _ node: YAMLNode, _ path: String) throws(UserError) -> Contacts.Contact {
        let values = try fields(node, path, allowed: Self.contactKeys,
                                expecting: "expected a mapping with `title` and `channels`")
        guard let title = values["title"] else { throw error(node.mark, path, "missing required key `title`") }
        guard let channels = values["channels"] else {
            throw error(node.mark, path, "missing required key `channels` (write `channels: []` for a role nobody is paged for)")
        }
        let phone = try values["phone"].map { (pair) throws(UserError) in try string(pair.value, "\(path).phone") }
        guard case .sequence(let items) = channels.value.content else {
            throw error(channels.value.mark, "\(path).channels",
                        "expected a list of channels like `- { file: notifications.log }`, found \(describe(channels.value))")
        }
        var parsed: [NotificationChannel] = []
        for (index, item) in items.enumerated() {
            parsed.append(try channel(item, "\(path).channels[\(index)]"))
        }
        return Contacts.Contact(role: role, title: try string(title.value, "\(path).title"), phone: phone,
                                channels: parsed)
    }

    func channel(_ node: YAMLNode, _ path: String) throws(UserError) -> NotificationChannel {
        let kinds = "`file`, `command`, `webhook` or `stdout`"
        let values = try fields(node, path, allowed: Self.channelKeys,
                                expecting: "expected a channel like `{ file: notifications.log }` with one of \(kinds)")
        let present = Self.kindKeys.compactMap { key in values[key].map { (key, $0) } }
            .sorted { $0.1.key.mark < $1.1.key.mark }
        guard let (kind, pair) = present.first else {
            throw error(node.mark, path, "expected one of \(kinds)")
        }
        if present.count > 1 {
            let (second, secondPair) = present[1]
            throw error(secondPair.key.mark, path,
                        "a channel has one kind, found both `\(kind)` and `\(second)`; write each as its own list item")
        }
        let timeout = values["timeout"]
        let value = pair.value
        let valuePath = "\(path).\(kind)"
        switch kind {
        case "file":
            try noTimeout(timeout, path, kind: kind)
            return .file(path: Contacts.resolve(try nonEmptyString(value, valuePath), against: baseDirectory))
        case "command":
            let command = try nonEmptyString(value, valuePath)
            return .command(command, timeout: try duration(timeout, path) ?? NotificationChannel.defaultCommandTimeout)
        case "webhook":
            let url = try nonEmptyString(value, valuePath)
            let scheme = url.prefix { $0 != ":" }.lowercased()
            guard (scheme == "http" || scheme == "https"), url.dropFirst(scheme.count).hasPrefix("://"),
                  NotificationChannel.host(of: url) != nil else {
                throw error(value.mark, valuePath, "expected an http:// or https:// URL with a host")
            }
            return .webhook(url: url, timeout: try duration(timeout, path) ?? NotificationChannel.defaultWebhookTimeout)
        default:
            try noTimeout(timeout, path, kind: kind)
            guard case .scalar(let text, true) = value.content, YAMLNode.booleanValue(text) == true else {
                throw error(value.mark, valuePath, "expected `true` (write `stdout: true`), found \(describe(value))")
            }
            return .stdout
        }
    }

    // MARK: - Values

    /// The mapping's pairs by key, after rejecting unknown keys with a suggestion.
    func fields(_ node: YAMLNode, _ path: String, allowed: [String],
                expecting: String) throws(UserError) -> [String: YAMLNode.Pair] {
        guard case .mapping(let pairs) = node.content else {
            throw error(node.mark, path, "\(expecting), found \(describe(node))")
        }
        var result: [String: YAMLNode.Pair] = [:]
        for pair in pairs {
            let key = pair.key.scalar ?? ""
            guard allowed.contains(key) else {
                let hint = Suggestion.nearest(to: key, in: allowed).map { "; did you mean `\($0)`?" }
                    ?? "; expected one of: \(allowed.joined(separator: ", "))"
                throw error(pair.key.mark, path.isEmpty ? key : "\(path).\(key)", "unknown key `\(key)`\(hint)")
            }
            result[key] = pair
        }
        return result
    }

    func string(_ node: YAMLNode, _ path: String) throws(UserError) -> String {
        guard let text = node.scalar, !node.isNull else {
            throw error(node.mark, path, "expected a string, found \(describe(node))")
        }
        return text
    }

    func nonEmptyString(_ node: YAMLNode, _ path: String) throws(UserError) -> String {
        let text = try string(node, path)
        guard !text.allSatisfy(\.isWhitespace) else {
            throw error(node.mark, path, "expected a non-empty string")
        }
        return text
    }

    /// The `timeout` of a command or webhook channel: at least one second.
    func duration(_ pair: YAMLNode.Pair?, _ channelPath: String) throws(UserError) -> RunbookDuration? {
        guard let pair else { return nil }
        let node = pair.value
        let path = "\(channelPath).timeout"
        guard let text = node.scalar, !node.isNull, let value = RunbookDuration(parsing: text) else {
            let found = node.isNull ? "null" : node.scalar.map { "\"\($0)\"" } ?? node.kindName
            throw error(node.mark, path, "expected a duration like \"30s\", \"1m\" or \"1m30s\", found \(found)")
        }
        guard value.seconds >= 1 else {
            throw error(node.mark, path, "expected a duration of at least 1s, found \"\(text)\"")
        }
        return value
    }

    func noTimeout(_ pair: YAMLNode.Pair?, _ channelPath: String, kind: String) throws(UserError) {
        guard let pair else { return }
        throw error(pair.key.mark, "\(channelPath).timeout",
                    "`timeout` applies only to `command` and `webhook` channels, not to `\(kind)`")
    }

    func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _) where !node.isNull: "\(node.kindName) \"\(text)\""
        default: node.kindName
        }
    }
}
