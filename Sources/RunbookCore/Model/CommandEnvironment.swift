/// One `env:` entry of a command step: a name and its value, passed only through the environment.
public struct EnvironmentEntry: Sendable, Equatable {
    public var name: String
    public var value: EnvironmentValue

    public init(name: String, value: EnvironmentValue) {
        self.name = name
        self.value = value
    }
}

/// An `env:` value: literal text, or exactly `$RUNBOOK_VAR_X` / `${RUNBOOK_VAR_X}` (the recorded input of step x).
public enum EnvironmentValue: Sendable, Equatable {
    case literal(String)
    /// The name of the variable referred to (`RUNBOOK_VAR_X`).
    case variable(String)

    /// Reads a value as written in YAML.
    public init(parsing text: String) {
        self = Self.reference(in: text).map { .variable($0) } ?? .literal(text)
    }

    /// The value as written: `$RUNBOOK_VAR_X` for a reference.
    public var written: String {
        switch self {
        case .literal(let text): text
        case .variable(let name): "$\(name)"
        }
    }

    /// `RUNBOOK_VAR_X` when `text` is exactly `$RUNBOOK_VAR_X` or `${RUNBOOK_VAR_X}`.
    static func reference(in text: String) -> String? {
        var name = Substring(text)
        guard name.hasPrefix("$") else { return nil }
        name = name.dropFirst()
        if name.hasPrefix("{") {
            guard name.hasSuffix("}") else { return nil }
            name = name.dropFirst().dropLast()
        }
        guard name.hasPrefix(CommandEnvironment.variablePrefix), name.count > CommandEnvironment.variablePrefix.count,
              CommandEnvironment.isValidName(name) else { return nil }
        return String(name)
    }
}

/// The rules of a command step's `env:`, in one place: which names are allowed, what a value resolves to, and
/// which references no step can fill.
public enum CommandEnvironment {
    /// The prefix of the variables through which input values reach commands.
    public static let variablePrefix = "RUNBOOK_VAR_"
    /// Names runbook sets itself; an `env:` entry may not use them.
    public static let reservedPrefix = "RUNBOOK_"

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isValidName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// Why `name` cannot be an `env:` name, or nil when it can.
    public static func problem(withName name: String) -> String? {
        if !isValidName(name) {
            return "`\(TextHygiene.escape(name))` is not a valid environment variable name; use ASCII letters, digits and `_`, "
                + "not starting with a digit"
        }
        if name.hasPrefix(reservedPrefix) {
            return "`\(name)` starts with RUNBOOK_, which runbook reserves for the variables it sets itself; choose another name"
        }
        return nil
    }

    /// The environment `entries` give, with `variables` the `RUNBOOK_VAR_*` variables available to the command
    /// (the recorded inputs, by variable name). A reference to a variable not available (its input was not
    /// given in this incident) is the empty string, so a value inherited from the caller's shell never stands in.
    public static func resolve(_ entries: [EnvironmentEntry], variables: [String: String]) -> [String: String] {
        var environment: [String: String] = [:]
        for entry in entries {
            switch entry.value {
            case .literal(let text): environment[entry.name] = text
            case .variable(let name): environment[entry.name] = variables[name] ?? ""
            }
        }
        return environment
    }

    /// The entries whose reference names none of `defined` (the `RUNBOOK_VAR_*` variables something can set).
    public static func unknownReferences(in entries: [EnvironmentEntry], defined: Set<String>) -> [(entry: String, variable: String)] {
        entries.compactMap { entry in
            guard case .variable(let name) = entry.value, !defined.contains(name) else { return nil }
            return (entry.name, name)
        }
    }
}

extension Runbook {
    /// The `RUNBOOK_VAR_*` variables the input steps of this runbook set.
    public var inputVariables: Set<String> {
        var names: Set<String> = []
        for state in states {
            for step in state.steps {
                if case .input = step.kind { names.insert(step.variableName) }
            }
        }
        return names
    }
}
