internal import CYAML

/// Parses YAML text into a `YAMLNode` tree with the system libyaml.
///
/// Anchors and aliases are resolved, `<<` merge keys are applied, duplicate keys are rejected, and every
/// node carries its 1-based position. Only single-document streams are accepted.
///
/// Collections nest at most `maximumDepth` levels (aliases included): deeper input is refused as the
/// events arrive, before the tree grows, so a hostile file costs linear time and never exhausts the stack
/// of the code that walks or frees the tree.
public enum YAMLParser {
    /// How deeply collections may nest; runbooks, rosters and contacts need fewer than ten levels.
    public static let maximumDepth = 1000

    /// Parses `text`; returns nil for an empty document.
    public static func parse(_ text: String) throws(YAMLError) -> YAMLNode? {
        var bytes = Array(text.utf8)
        return try parse(bytes: &bytes)
    }

    /// Parses UTF-8 `bytes`; returns nil for an empty document.
    public static func parse(bytes: inout [UInt8]) throws(YAMLError) -> YAMLNode? {
        let parser = LibYAMLParser()
        let result: Result<YAMLNode?, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            parser.setInput(buffer)
            var builder = TreeBuilder()
            do throws(YAMLError) {
                try parser.forEachEvent { event throws(YAMLError) in try builder.consume(event) }
                return .success(builder.root)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Owns one heap-allocated `yaml_parser_t`; libyaml keeps the parser's own address, so it must not move.
private final class LibYAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>

    init() {
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        yaml_parser_initialize(parser)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    func setInput(_ buffer: UnsafeBufferPointer<UInt8>) {
        // libyaml only reads the input; an empty buffer still needs a valid pointer.
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(parser, base, buffer.count)
        } else {
            yaml_parser_set_input_string(parser, "", 0)
        }
    }

    /// Calls `body` with each event until the stream ends.
    func forEachEvent(_ body: (Event) throws(YAMLError) -> Void) throws(YAMLError) {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                throw syntaxError()
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return }
            try body(Event(event))
        }
    }

    private func syntaxError() -> YAMLError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = problem
        if let context = p.context.map({ String(cString: $0) }) {
            message += " (\(context) started at line \(p.context_mark.line + 1), column \(p.context_mark.column + 1))"
        }
        if p.error == YAML_READER_ERROR {
            message = "the file is not valid UTF-8 text (\(problem))"
            return YAMLError(mark: SourceMark(line: 1, column: 1), message: message)
        }
        return YAMLError(
            mark: SourceMark(line: Int(p.problem_mark.line) + 1, column: Int(p.problem_mark.column) + 1),
            message: message)
    }
}

/// A view of one libyaml event, valid only inside the callback.
private struct Event {
    let raw: yaml_event_t
    init(_ raw: yaml_event_t) { self.raw = raw }

    var mark: SourceMark {
        SourceMark(line: Int(raw.start_mark.line) + 1, column: Int(raw.start_mark.column) + 1)
    }
}

private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, count: Int) -> String {
    guard let pointer else { return "" }
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
}

private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

/// Builds the node tree from events; frames are updated in place on the stack.
private struct TreeBuilder {
    struct Frame {
        var isMapping: Bool
        var mark: SourceMark
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var pendingKey: YAMLNode?
        var merges: [YAMLNode] = []
        /// The deepest nesting of collections among the children added so far (0 for scalars only).
        var childHeight = 0
        /// Key positions of a large mapping, built on demand; small mappings are scanned.
        var keyIndex: [String: SourceMark] = [:]

        /// Where `key` was first written in this mapping, if it was.
        mutating func firstMark(of key: String) -> SourceMark? {
            if pairs.count < 16 {
                return pairs.first { $0.key.scalar == key }?.key.mark
            }
            if keyIndex.count < pairs.count {
                for pair in pairs[keyIndex.count...] {
                    if let text = pair.key.scalar { keyIndex[text] = pair.key.mark }
                }
            }
            return keyIndex[key]
        }
    }

    var stack: [Frame] = []
    /// Each anchored node with its height (levels of collections it holds, itself included).
    var anchors: [String: (node: YAMLNode, height: Int)] = [:]
    var root: YAMLNode?
    var documents = 0

    mutating func consume(_ event: Event) throws(YAMLError) {
        let type = event.raw.type
        if type == YAML_SCALAR_EVENT {
            let data = event.raw.data.scalar
            let text = string(data.value, count: data.length)
            let plain = data.style == YAML_PLAIN_SCALAR_STYLE && data.tag == nil
            let node = YAMLNode(.scalar(text, plain: plain), mark: event.mark)
            if let anchor = string(data.anchor) { anchors[anchor] = (node, 0) }
            try add(node, height: 0)
        } else if type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT {
            let anchor = type == YAML_MAPPING_START_EVENT
                ? string(event.raw.data.mapping_start.anchor)
                : string(event.raw.data.sequence_start.anchor)
            guard stack.count < YAMLParser.maximumDepth else { throw tooDeep(event.mark) }
            stack.append(Frame(isMapping: type == YAML_MAPPING_START_EVENT, mark: event.mark, anchor: anchor))
        } else if type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT {
            guard var frame = stack.popLast() else { return }
            let node: YAMLNode
            if frame.isMapping {
                try applyMerges(&frame)
                node = YAMLNode(.mapping(frame.pairs), mark: frame.mark)
            } else {
                node = YAMLNode(.sequence(frame.items), mark: frame.mark)
            }
            let height = frame.childHeight + 1
            if let anchor = frame.anchor { anchors[anchor] = (node, height) }
            try add(node, height: height)
        } else if type == YAML_ALIAS_EVENT {
            let name = string(event.raw.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw YAMLError(mark: event.mark, message: "unknown alias *\(name): no anchor &\(name) before it")
            }
            guard stack.count + target.height <= YAMLParser.maximumDepth else { throw tooDeep(event.mark) }
            try add(target.node, height: target.height)
        } else if type == YAML_DOCUMENT_START_EVENT {
            documents += 1
            if documents > 1 {
                throw YAMLError(mark: event.mark, message: "expected one YAML document, found a second one (remove the `---`)")
            }
        }
    }

    private func tooDeep(_ mark: SourceMark) -> YAMLError {
        YAMLError(mark: mark, message: "collections nested more than \(YAMLParser.maximumDepth) levels deep; "
                  + "this file needs far fewer (is it generated, or damaged?)")
    }

    private mutating func add(_ node: YAMLNode, height: Int) throws(YAMLError) {
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        stack[top].childHeight = max(stack[top].childHeight, height)
        if !stack[top].isMapping {
            stack[top].items.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            guard case .scalar(let text, let plain) = node.content else {
                throw YAMLError(mark: node.mark, message: "a mapping key must be a plain string, found \(node.kindName)")
            }
            if plain, text == "<<" {
                stack[top].pendingKey = node
                return
            }
            if let first = stack[top].firstMark(of: text) {
                throw YAMLError(mark: node.mark, message: "duplicate key `\(text)` (first at line \(first.line))")
            }
            stack[top].pendingKey = node
            return
        }
        stack[top].pendingKey = nil
        if case .scalar(let text, true) = key.content, text == "<<" {
            stack[top].merges.append(node)
        } else {
            stack[top].pairs.append(YAMLNode.Pair(key: key, value: node))
        }
    }

    /// Applies `<<: *anchor` merge keys: merged keys never override keys written in the mapping.
    private func applyMerges(_ frame: inout Frame) throws(YAMLError) {
        for source in frame.merges {
            let maps: [YAMLNode]
            switch source.content {
            case .mapping: maps = [source]
            case .sequence(let items): maps = items
            case .scalar: maps = [source]
            }
            for map in maps {
                guard case .mapping(let pairs) = map.content else {
                    throw YAMLError(mark: source.mark, message: "`<<` merges a mapping or a list of mappings, found \(map.kindName)")
                }
                for pair in pairs {
                    guard let key = pair.key.scalar, frame.firstMark(of: key) == nil else { continue }
                    frame.pairs.append(pair)
                }
            }
        }
    }
}
