public import Foundation

/// What one run of the `runbook` binary printed and returned.
public struct CLIResult: Sendable {
    public var stdout: String
    public var stderr: String
    public var status: Int32

    public init(stdout: String, stderr: String, status: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
    }
}

/// Runs the built `runbook` executable, as a user would, for end-to-end tests.
public struct CLIRunner: Sendable {
    /// The folder the command runs in.
    public var directory: String
    /// Extra environment variables; `RUNBOOK_*`, `NO_COLOR`, `TZ` and the locale (`LANG`, `LC_ALL`, `LC_MESSAGES`)
    /// of the test process are not inherited.
    public var environment: [String: String]

    public init(directory: String, environment: [String: String] = [:]) {
        self.directory = directory
        self.environment = environment
    }

    /// The `runbook` binary next to the test bundle.
    public static var executable: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("runbook").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return "runbook"
    }

    /// The child's environment: this process's, without RUNBOOK_* and NO_COLOR, with the harness's fixed values,
    /// then the test's own.
    func childEnvironment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") && $0.key != "NO_COLOR" }
        env["TZ"] = "UTC"
        env["USER"] = "tester"
        // Tests drive time with RUNBOOK_NOW; a background watcher on the real clock would race them. A test
        // that wants one sets RUNBOOK_WATCHER itself (and ends it by pid).
        env["RUNBOOK_WATCHER"] = "off"
        // Messages follow the locale (SPEC §7): English unless a test passes its own LANG, LC_MESSAGES or LC_ALL,
        // so a developer with a Korean locale runs the English assertions as written.
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        for (key, value) in environment { env[key] = value }
        return env
    }

    /// Starts `runbook ARGUMENTS` without waiting for it (stdin, stdout and stderr from and to /dev/null), for
    /// tests of two processes at once; the caller waits for it.
    public func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = childEnvironment()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts `runbook ARGUMENTS` without waiting for it, its standard output and error written to the files
    /// `stdout` and `stderr` (created or emptied), for a test that reads what a long-running command prints (the
    /// address `runbook serve` listens on); the caller waits for it.
    public func launch(_ arguments: [String], stdout: String, stderr: String) throws -> Process {
        for path in [stdout, stderr] { try Data().write(to: URL(fileURLWithPath: path)) }
        guard let output = FileHandle(forWritingAtPath: stdout), let errors = FileHandle(forWritingAtPath: stderr) else {
            throw CocoaError(.fileNoSuchFile)
        }
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = childEnvironment()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return process
    }

    /// Runs `runbook ARGUMENTS` with `input` on stdin.
    @discardableResult
    public func run(_ arguments: [String], input: String = "") throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = childEnvironment()
        // Files rather than pipes: no reader threads, and nothing blocks on a full pipe.
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let paths = ["in", "out", "err"].map { "\(scratch)/\($0)" }
        try Data(input.utf8).write(to: URL(fileURLWithPath: paths[0]))
        for path in paths.dropFirst() { try Data().write(to: URL(fileURLWithPath: path)) }
        guard let stdin = FileHandle(forReadingAtPath: paths[0]), let stdout = FileHandle(forWritingAtPath: paths[1]),
              let stderr = FileHandle(forWritingAtPath: paths[2]) else {
            throw CocoaError(.fileNoSuchFile)
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        for handle in [stdin, stdout, stderr] { try handle.close() }
        return CLIResult(stdout: try String(contentsOfFile: paths[1], encoding: .utf8),
                         stderr: try String(contentsOfFile: paths[2], encoding: .utf8),
                         status: process.terminationStatus)
    }
}

/// A fresh temporary folder, removed by the caller.
public func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
