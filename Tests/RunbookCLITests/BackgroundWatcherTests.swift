import Foundation
import RunbookTestSupport
import Testing

/// Paging without a watcher started by hand (SPEC §5): `start` launches one in the background.
@Suite(.serialized) struct BackgroundWatcherTests {
    /// ISO-8601 for `seconds` from the real clock (in the past when negative).
    func iso(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSinceNow: seconds))
    }

    /// The pid in "started a background watcher (pid N, …".
    func watcherPID(_ stderr: String) -> Int32? {
        guard let range = stderr.range(of: "started a background watcher (pid ") else { return nil }
        return Int32(stderr[range.upperBound...].prefix { $0.isNumber })
    }

    func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    @Test func aMissedDeadlineIsPagedWithOnlyStartTyped() throws {
        try withWorkspace { base, directory in
            try removeScheduledRunbooks(directory)
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "on"
            // Opened ten minutes ago (back-dated): detect's 5m deadline passed five minutes ago on the real clock,
            // which the watcher keeps (it never inherits RUNBOOK_NOW).
            var opened = cli
            opened.environment["RUNBOOK_NOW"] = iso(-600)
            let start = try opened.run(["start", "security-incident", "--as", "kim"])
            #expect(start.status == 0, "\(start.stderr)")
            let pid = try #require(watcherPID(start.stderr), "start says it launched a watcher: \(start.stderr)")
            defer {
                kill(pid, SIGTERM)
                _ = eventually(seconds: 10) { !alive(pid) }
            }
            #expect(eventually(seconds: 30) {
                ((try? String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)) ?? "").contains("missed its 5m deadline")
            }, "the deadline page leaves the machine with nobody running `watch`")
            let status = try cli.run(["watch", "--status"])
            #expect(status.stdout.hasPrefix("A background watcher (pid \(pid)) runs on incidents.db since"))
            let log = "\(directory)/watch.log"
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains("in the background (pid \(pid))"))
            #expect(try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? Int == 0o600)
            // A second start finds it running and launches no other.
            let second = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(watcherPID(second.stderr) == nil)
        }
    }

    @Test func theBackgroundWatcherStopsWhenNothingIsOpenAndIsOffForHarnesses() throws {
        try withWorkspace { base, directory in
            try DrillAndReportTests.shortFollowUp.write(toFile: "\(directory)/runbooks/short.yaml", atomically: true, encoding: .utf8)
            try removeScheduledRunbooks(directory)
            // RUNBOOK_WATCHER=off (the default of this harness) launches nothing.
            let quiet = try base.run(["start", "short", "--as", "kim"])
            #expect(watcherPID(quiet.stderr) == nil)
            #expect(try base.run(["watch", "--status"]).stdout.hasPrefix("No watcher runs on incidents.db."))
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "on"
            let started = try cli.run(["start", "short", "--as", "kim"])
            let pid = try #require(watcherPID(started.stderr), "\(started.stderr)")
            defer { kill(pid, SIGKILL) }
            // Close both incidents: the watcher writes their reports and leaves.
            for number in ["0001", "0002"] {
                let incident = try #require(base.run(["status", "--json"]).stdout.components(separatedBy: "\"").first { $0.hasSuffix("-\(number)") })
                for step in ["fix", "wrap"] { #expect(try base.run(["step", incident, step, "done", "--as", "kim"]).status == 0) }
            }
            #expect(eventually(seconds: 30) { !alive(pid) }, "the background watcher stops once nothing is open or due")
            #expect(try String(contentsOfFile: "\(directory)/watch.log", encoding: .utf8).contains("the background watcher stops"))
            #expect(try base.run(["watch", "--status"]).stdout.hasPrefix("No watcher runs"))
        }
    }

    /// Contacts whose tier-1 channel takes two seconds (a slow SMS gateway), the others a file.
    static let slowContacts = """
        contacts:
          oncall: { title: On-call, channels: [ { command: "sleep 2; cat >> slow-pages.txt", timeout: 10s } ] }
          security: { title: Security, channels: [ { file: notifications.log } ] }
          manager: { title: Manager, channels: [ { file: notifications.log } ] }
          cto: { title: CTO, channels: [ { file: notifications.log } ] }

        """

    /// Whether some process holds the lock file at `path`.
    func lockHeld(_ path: String) -> Bool {
        let descriptor = open(path, O_RDWR)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    @Test func aCommandDeliveringIsNotTakenForAWatcher() throws {
        try withWorkspace { base, directory in
            try removeScheduledRunbooks(directory)
            try Self.slowContacts.write(toFile: "\(directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "on"
            let start = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(start.status == 0, "\(start.stderr)")
            let pid = try #require(watcherPID(start.stderr), "\(start.stderr)")
            defer {
                kill(pid, SIGTERM)
                _ = eventually(seconds: 10) { !alive(pid) }
            }
            // The watcher stays: a slow delivery holds the delivery lock, never the watch lock.
            #expect(eventually(seconds: 10) { ((try? cli.run(["watch", "--status"]))?.stdout ?? "").hasPrefix("A background watcher (pid \(pid))") })
            #expect(eventually(seconds: 15) {
                ((try? String(contentsOfFile: "\(directory)/slow-pages.txt", encoding: .utf8)) ?? "").contains("INC-")
            }, "the watcher delivers the slow page")
            #expect(alive(pid))
        }
    }

    @Test func aPageRecordedWhileAnotherCommandDeliversIsDeliveredNotLeftToANonexistentWatcher() throws {
        try withWorkspace { base, directory in
            try removeScheduledRunbooks(directory)
            try Self.slowContacts.write(toFile: "\(directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
            // No watcher anywhere (the harness's default): `start` delivers tier 1 itself, slowly.
            let start = try base.launch(["start", "security-incident", "--as", "kim", "--no-guide"])
            #expect(eventually(seconds: 10) { lockHeld("\(directory)/incidents.db.deliver-lock") }, "start is delivering")
            let escalate = try base.run(["escalate", "1", "--as", "lee", "--reason", "no answer"])
            start.waitUntilExit()
            #expect(escalate.status == 0, "\(escalate.stderr)")
            #expect(!escalate.stdout.contains("is running: it delivers the pages"), "no watcher runs: \(escalate.stdout)")
            #expect(escalate.stdout.contains("notified manager via file"), "\(escalate.stdout)")
            let pages = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            #expect(pages.contains("tier 2 → manager"))
            // Tier 1 went out once, by start.
            let slow = try String(contentsOfFile: "\(directory)/slow-pages.txt", encoding: .utf8)
            // The page names whoever is on duty in the shipped rotation now: "oncall (lee, night shift) (tier 1, round 1)".
            #expect(slow.split(separator: "\n").filter { $0.hasPrefix("Paged:     oncall") && $0.contains("(tier 1") }.count == 1, "\(slow)")
        }
    }
}
