/// A node of a parsed YAML document, stamped with the position where it starts.
public struct YAMLNode: Sendable, Equatable {
    /// A key and its value in a mapping, in document order.
    public struct Pair: Sendable, Equatable {
        public var key: YAMLNode
        public var value: YAMLNode
    }

    public enum Content: Sendable, Equatable {
        /// A scalar and whether it was written plain (unquoted, not a block scalar).
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public var content: Content
    public var mark: SourceMark

    public init(_ content: Content, mark: SourceMark) {
        self.content = content
        self.mark = mark
    }

    /// The scalar text, or nil for a collection.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// True for a plain `null`, `~` or empty scalar.
    public var isNull: Bool {
        if case .scalar(let text, let plain) = content, plain {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// A short name of the node's kind, for error messages.
    public var kindName: String {
        switch content {
        case .scalar(let text, let plain):
            if isNull { return "null" }
            if plain, Int(text) != nil { return "a number" }
            if plain, YAMLNode.booleanValue(text) != nil { return "a boolean" }
            return "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The boolean a plain scalar spells, or nil.
    public static func booleanValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }
}
