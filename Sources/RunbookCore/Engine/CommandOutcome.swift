/// What a command step's run produced, as recorded in the log.
public struct CommandOutcome: Sendable, Equatable {
    /// The exit status, or nil when the process was killed by a signal.
    public var exitCode: Int32?
    /// The signal that ended the process, if any.
    public var signal: Int32?
    /// True when the step's timeout killed the process group.
    public var timedOut: Bool
    public var durationMilliseconds: Int64
    public var stdout: CapturedOutput
    public var stderr: CapturedOutput

    public init(exitCode: Int32?, signal: Int32? = nil, timedOut: Bool = false, durationMilliseconds: Int64,
                stdout: CapturedOutput, stderr: CapturedOutput) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.durationMilliseconds = durationMilliseconds
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Whether the run counts as success for a step expecting `expectedExit`.
    public func succeeded(expecting expectedExit: Int32) -> Bool {
        !timedOut && signal == nil && exitCode == expectedExit
    }
}

/// A capped capture of one output stream: its head and tail, its full size and the SHA-256 of all of it.
public struct CapturedOutput: Sendable, Equatable {
    /// The first bytes (up to the cap), as text.
    public var head: String
    /// The last bytes when the output was longer than the head; empty otherwise.
    public var tail: String
    public var totalBytes: Int64
    /// SHA-256 (lowercase hex) of the complete output.
    public var sha256: String

    public init(head: String, tail: String, totalBytes: Int64, sha256: String) {
        self.head = head
        self.tail = tail
        self.totalBytes = totalBytes
        self.sha256 = sha256
    }

    /// True when some bytes between head and tail were not kept.
    public var truncated: Bool {
        Int64(head.utf8.count + tail.utf8.count) < totalBytes
    }
}
