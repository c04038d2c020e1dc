import RunbookCore

/// A command step's run as the API returns it: the verdict in words (the one verdict of `CommandOutcome`) and the
/// output the command wrote (head and tail of each stream, as stored).
enum RunJSON {
    static func run(_ outcome: CommandOutcome, verdict: CommandVerdict) -> JSONValue {
        .object([
            ("succeeded", .bool(verdict.succeeded)), ("summary", .string(verdict.summary(in: .current))),
            ("hint", .optional(verdict.hint(in: .current))), ("exit_code", .optional(outcome.exitCode.map(Int64.init))),
            ("duration_ms", .int(outcome.durationMilliseconds)),
            ("stdout", output(outcome.stdout)), ("stderr", output(outcome.stderr)),
        ])
    }

    static func output(_ output: CapturedOutput) -> JSONValue {
        .object([("head", .string(output.head)), ("tail", .string(output.tail)), ("bytes", .int(output.totalBytes)),
                 ("truncated", .bool(output.truncated)), ("sha256", .string(output.sha256))])
    }
}
