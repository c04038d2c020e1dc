import RunbookCore

/// Every user-visible string of guided mode, in English, in one place: the message catalog (a Korean one is
/// built separately) takes these over by name. Sentences with facts are functions of those facts.
enum GuidedText {
    // MARK: Keys

    /// One key of the legend: what to press and what it does.
    struct KeyHelp: Equatable {
        var key: String
        var label: String
        /// The longer explanation `?` shows.
        var help: String

        var legend: String { "\(key) \(label)" }
    }

    /// The action keys, in the legend's order (SPEC §7).
    static let keys: [KeyHelp] = [
        KeyHelp(key: "d", label: "done", help: "mark the selected step done"),
        KeyHelp(key: "s", label: "skip", help: "skip the selected step"),
        KeyHelp(key: "f", label: "fail", help: "mark the selected step failed (follows the stage's on_fail)"),
        KeyHelp(key: "r", label: "run", help: "run the selected command step (y to confirm; a destructive one by typing its id)"),
        KeyHelp(key: "i", label: "input", help: "give the selected input step its value"),
        KeyHelp(key: "a", label: "approve", help: "approve the selected approval step (holders of its role)"),
        KeyHelp(key: "b", label: "break glass", help: "override the selected approval without its role, with a reason (paged, a finding)"),
        KeyHelp(key: "n", label: "note", help: "add a note to the incident's log"),
        KeyHelp(key: "k", label: "ack", help: "acknowledge the incident (stops the pages of running escalations)"),
        KeyHelp(key: "e", label: "escalate", help: "page the next tier now"),
        KeyHelp(key: "u", label: "undo", help: "correct the last mark of the selected step"),
        KeyHelp(key: "o", label: "output", help: "show the selected command step's last output"),
    ]

    /// The legend's selection item.
    static let selectKeys = KeyHelp(key: "↑↓ Tab 1-9", label: "select", help: "select a step (Shift-Tab goes back)")
    /// The legend's end, always visible.
    static let helpAndQuit = "? help · q quit"
    static let legendSeparator = " · "

    /// The full key help `?` shows.
    static var fullHelp: [String] {
        ["Keys:"] + (keys + [selectKeys]).map { "  \($0.key)  \($0.help)" } + [
            "  ?  this help (any key closes it)",
            "  q  leave guided mode (the incident stays open; resume with runbook guide)",
            "In a prompt: ← → Home End (Ctrl-A, Ctrl-E) move, Backspace and Delete erase, Enter saves, Esc or Ctrl-C cancels.",
        ]
    }

    /// The one-line list of actions for scripted mode's errors.
    static let scriptedActions = "done [note] · skip [note] · fail [note] · run · input VALUE · approve · break-glass [reason] · note TEXT · "
        + "ack · escalate [reason] · output · undo NOTE · select STEP · as NAME · status · ? help · quit"

    /// Under a prompt.
    static let promptKeys = "Enter save · Esc cancel · ← → Home End move · Backspace Delete erase"
    static let confirmKeys = "y yes · any other key no"

    // MARK: Prompts

    static let notePrompt = "Note: "

    static func inputPrompt(title: String, choices: [String]?) -> String {
        title + (choices.map { " [" + $0.joined(separator: "/") + "]" } ?? "") + ": "
    }

    static func breakGlassExplanation(step: String) -> String {
        "Breaking the glass completes approval `\(step)` without its role, pages its approvers at once with your reason, "
            + "and is a finding in the post-mortem."
    }

    static let breakGlassPrompt = "Reason (the approvers read it; empty cancels): "

    static func destructivePrompt(command: String, timeout: RunbookDuration, step: String) -> String {
        "DESTRUCTIVE: `\(command)` (timeout \(timeout)). Type `\(step)` to run it: "
    }

    static func runPrompt(command: String, timeout: RunbookDuration) -> String {
        "Run `\(command)` (timeout \(timeout))? [y/N] "
    }

    static func closingPrompt(incident: String, closes: Bool) -> String {
        closes ? "This closes incident \(incident): no more steps, pages or deadlines. Close it? [y/N] "
            : "This resolves incident \(incident) (service restored; the RTO clock stops). Resolve it? [y/N] "
    }

    // MARK: Messages

    static let errorPrefix = "runbook: error: "
    static let notRun = "Not run."
    static let notClosed = "Not recorded; the incident stays open."

    static func noNoteGiven(step: String) -> String { "no note given; step `\(step)` was not marked" }
    static let noValueGiven = "no value given; nothing recorded"
    static let noReasonGiven = "no reason given; the approval was not overridden"
    static let emptyNote = "the note is empty; nothing recorded"
    static let promptCancelled = "cancelled; nothing recorded"

    static func actingAs(_ name: String) -> String { "(acting as \(name))" }
    static func drillClockMoved(by duration: RunbookDuration, now: String) -> String { "(drill clock +\(duration): now \(now))" }
    static let waitOnlyInDrills = "`wait` moves a drill's simulated clock; it works only in `runbook drill`"
    static func badWait(_ text: String) -> String { "wait \(text): expected a duration like 5m or 1h30m" }
    static func notACommandStep(_ step: String) -> String { "step `\(step)` is not a command step; select one with its number" }
    static func noSuchStep(_ target: String, ids: [String]) -> String {
        "no step \(target) in this stage; steps are 1-\(ids.count): \(ids.joined(separator: ", "))"
    }
    static let nothingToActOn = "every step of this stage is settled; nothing to act on"
    static func running(_ step: String) -> String { "Running \(step)…" }
    static func runFailed(step: String, summary: String, hint: String?) -> String {
        "Step `\(step)` \(summary). Decide: r run again · d done by hand · s skip · f fail (each but fail with a note)"
            + (hint.map { ". \($0)" } ?? "")
    }
    static func leftGuidedMode(_ incident: String) -> String { "Left guided mode; resume with `runbook guide \(incident)`." }
    static func incidentClosed(_ incident: String) -> String {
        "Incident closed. Write the post-mortem with `runbook report \(incident)`."
    }
    static func leftOnSignal(_ name: String, incident: String) -> String {
        "left guided mode: runbook received \(name) while a command ran; the run was recorded as interrupted; "
            + "resume with `runbook guide \(incident)`"
    }
    static func failures(_ count: Int) -> String {
        "\(count) action\(count == 1 ? " was" : "s were") refused or failed; see the messages above"
    }
    static func unknownAction(_ line: String) -> String { "unknown action `\(line)`; actions: \(scriptedActions)" }
    static func unknownKey(_ key: String) -> String { "no action on `\(key)`; ? shows the keys" }
    /// Undo of a mark is being built in the engine (SPEC §7 `u`); until then the key says so.
    static func undoPrompt(step: String) -> String { "Undo the mark on `\(step)`: what was wrong? " }
    static let undoNeedsNoteInline = "undo needs a note saying what was wrong: undo TEXT"
    static let noteNeedsTextInline = "write the note on the same line: note TEXT (nothing recorded)"
    static func noOutput(_ step: String) -> String { "step `\(step)` has not run yet; r runs it" }
    static func outputHeader(step: String, attempt: Int, summary: String) -> String {
        "Output of `\(step)`, attempt \(attempt): \(summary) (all of it: runbook output INC \(step))"
    }
    static let outputEmpty = "(no output)"

    // MARK: The screen

    static func stagePosition(_ index: Int, of count: Int) -> String { "Stage \(index) of \(count): " }

    /// "RTO 4h · elapsed 0:25:00 · 3:35:00 left", "RTO 15m · elapsed 0:25:00 · overdue by 0:10:00",
    /// "RTO 4h · restored in 1:12:00 (met)".
    static func rto(_ clock: RTOClock) -> String {
        let elapsed = span(clock.elapsedMilliseconds)
        if clock.stopped {
            return "RTO \(clock.target) · restored in \(elapsed) " + (clock.overdue ? "(missed by \(span(-clock.remainingMilliseconds)))" : "(met)")
        }
        return "RTO \(clock.target) · elapsed \(elapsed) · "
            + (clock.overdue ? "overdue by \(span(-clock.remainingMilliseconds))" : "\(span(clock.remainingMilliseconds)) left")
    }

    /// `H:MM:SS` for a span of milliseconds (rounded down to the second).
    static func span(_ milliseconds: Int64) -> String {
        let seconds = Int(max(0, milliseconds) / 1000)
        return "\(seconds / 3600):\(pad(seconds % 3600 / 60)):\(pad(seconds % 60))"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The header of the lines of output under a command step.
    static func outputTail(_ result: String) -> String { "last output (\(result)):" }
}
