import ArgumentParser

public struct RunbookCommand: AsyncParsableCommand {
    public init() {}
}
