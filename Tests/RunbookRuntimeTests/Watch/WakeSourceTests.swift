import Foundation
@testable import RunbookRuntime
import Testing

/// The watcher's wake-ups: a write to the database's files and a runbook file edited in the runbooks folder each wake
/// it, also when both live in one folder (one inotify watch whose mask must keep both kinds of event).
@Suite struct WakeSourceTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "wake-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: [false, true])
    func aDatabaseWriteAndARunbookEditEachWakeIt(oneFolder: Bool) throws {
        let base = try folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let runbooks = oneFolder ? base : base + "/runbooks"
        try FileManager.default.createDirectory(atPath: runbooks, withIntermediateDirectories: true)
        let database = base + "/incidents.db-wal"
        try Data().write(to: URL(fileURLWithPath: database))
        let wake = try WakeSource(databasePath: base + "/incidents.db", runbooksDirectory: runbooks)
        #expect(wake.wait(milliseconds: 0) == .timeout)
        let handle = try #require(FileHandle(forWritingAtPath: database))
        handle.seekToEndOfFile()
        handle.write(Data("x".utf8))
        #expect(wake.wait(milliseconds: 2000) == .changed, "a write to the WAL wakes the watcher")
        try handle.close()
        _ = wake.wait(milliseconds: 0)
        try "schedule: every 1m\n".write(toFile: runbooks + "/minute-check.yaml", atomically: true, encoding: .utf8)
        #expect(wake.wait(milliseconds: 2000) == .changed, "a runbook written wakes the watcher")
        try "x".write(toFile: runbooks + "/notes.txt", atomically: false, encoding: .utf8)
        #expect(wake.wait(milliseconds: 200) == .timeout, "other files do not")
    }
}
