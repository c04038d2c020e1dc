/// A YAML syntax or structure error at a position in the source.
public struct YAMLError: Error, Sendable, Equatable {
    public var mark: SourceMark
    public var message: String

    public init(mark: SourceMark, message: String) {
        self.mark = mark
        self.message = message
    }
}
