#if canImport(Glibc)
import Glibc
#endif
import RunbookCore
import RunbookRuntime

/// Guided mode: the incident screen and single-key actions on a terminal, or one action per line otherwise.
struct GuidedSession {
    let service: IncidentService
    let incidentID: String
    /// Who acts; a scripted session may hand over with the action `as NAME`.
    var actor: String
    let tty: TTY
    let confirmCommands: Bool
    /// The step actions apply to; by default the first unsettled step of the stage.
    var selected: String?
    /// Whether any action was refused or failed (the exit status of a scripted session).
    var failures = 0
    /// SIGTERM or SIGHUP that interrupted a command run: the session ends once the run is recorded.
    var endingSignal: Int32?
    /// Whether this session runs a drill (`runbook drill`: command steps need --run-commands).
    var drill = false
    /// Whether a drill runs command steps for real.
    var runCommands = true

    init(service: IncidentService, incidentID: String, actor: String, tty: TTY, confirmCommands: Bool) {
        self.service = service
        self.incidentID = incidentID
        self.actor = actor
        self.tty = tty
        self.confirmCommands = confirmCommands
    }

    /// One parsed action.
    enum Action: Equatable {
        case mark(IncidentCommand.StepMark, note: String?)
        case run
        case input(String?)
        case approve
        case breakGlass(String?)
        case note(String?)
        case acknowledge
        case escalate(String?)
        case wait(String)
        case handOver(String)
        case select(String)
        case status
        case help
        case quit
    }

    static let helpText = """
        d done · s skip · f fail · r run · i input · a approve · b break glass · n note · k ack · e escalate · 1-9 select · ? help · q quit
        """

    /// Parses a line (`done the note`, `input SEV1`, `select 2`) or a single key.
    static func parse(_ line: String) -> Action? {
        let trimmed = String(line.trimmingWhitespace)
        guard !trimmed.isEmpty else { return nil }
        let verb = trimmed.prefix { !$0.isWhitespace }.lowercased()
        let rest = String(String(trimmed.dropFirst(verb.count)).trimmingWhitespace)
        let argument: String? = rest.isEmpty ? nil : rest
        switch verb {
        case "d", "done": return .mark(.done, note: argument)
        case "s", "skip": return .mark(.skip, note: argument)
        case "f", "fail": return .mark(.fail, note: argument)
        case "r", "run": return .run
        case "i", "input": return .input(argument)
        case "a", "approve": return .approve
        case "b", "break-glass": return .breakGlass(argument)
        case "n", "note": return .note(argument)
        case "k", "ack": return .acknowledge
        case "e", "escalate": return .escalate(argument)
        case "wait": return argument.map { .wait($0) }
        case "as": return argument.map { .handOver($0) }
        case "status", "show": return .status
        case "?", "h", "help": return .help
        case "q", "quit", "exit": return .quit
        case "select", "sel": return argument.map { .select($0) }
        default:
            if let number = Int(verb), number > 0 { return .select(verb) }
            return nil
        }
    }

    mutating func run() async throws {
        if TTY.stdinIsTerminal {
            try await runInteractive()
        } else {
            try await runScripted()
        }
    }

    // MARK: - Scripted (stdin not a terminal)

    mutating func runScripted() async throws {
        var snapshot = try service.snapshot(incidentID)
        await tick(snapshot)
        snapshot = try service.snapshot(incidentID)
        printScreen(snapshot, width: nil)
        while let line = readLine(strippingNewline: true) {
            guard !line.trimmingWhitespace.isEmpty, !line.hasPrefix("#") else { continue }
            guard let action = Self.parse(line) else {
                failures += 1
                err("runbook: error: unknown action `\(TTY.inline(line))`; actions: \(Self.helpText)")
                continue
            }
            if action == .quit { break }
            let stageBefore = snapshot.state.visits.count
            await perform(action, snapshot: snapshot) { prompt in
                out(prompt)
                return readLine(strippingNewline: true)
            }
            await tick(snapshot)
            snapshot = try service.snapshot(incidentID)
            if action == .status || snapshot.state.visits.count != stageBefore { printScreen(snapshot, width: nil) }
            if snapshot.state.isClosed || endingSignal != nil { break }
        }
        try leaveIfSignalled()
        if failures > 0 {
            throw UserError(.failed, "\(failures) action\(failures == 1 ? " was" : "s were") refused or failed; see the messages above")
        }
    }

    /// Records what time has made due and, when no watcher does it (always in a drill), delivers the pages.
    mutating func tick(_ snapshot: IncidentSnapshot) async {
        do {
            let due = try service.bringUpToDate(incidentID)
            printEvents(due, snapshot: snapshot)
            let databasePath = service.databasePath
            if let claim = DeliveryClaim(databasePath: databasePath) {
                defer { claim.release() }
                printEvents(try await service.deliverPending(incidentID, notifier: Notifier()), snapshot: snapshot)
            }
        } catch {
            failures += 1
            err("runbook: error: \(TTY.inline(error.message))")
        }
    }

    func printScreen(_ snapshot: IncidentSnapshot, width: Int?) {
        let selected = self.selected ?? defaultStep(snapshot)
        for line in IncidentScreen.render(snapshot, now: service.now(for: snapshot.state), tty: tty, width: width, selected: selected,
                                          integrity: try? service.integrity(of: snapshot)) {
            out(line)
        }
    }

    /// The first step of the current stage that is not done or skipped.
    func defaultStep(_ snapshot: IncidentSnapshot) -> String? {
        let steps = snapshot.runbook.state(snapshot.state.stateID)?.steps ?? []
        return steps.first { snapshot.state.steps[$0.id]?.isSettled != true }?.id
    }

    /// Performs one action; `ask` reads an answer to a prompt (nil at end of input).
    mutating func perform(_ action: Action, snapshot: IncidentSnapshot, ask: (String) -> String?) async {
        // A selection made on an earlier stage does not carry over.
        if let chosen = selected, snapshot.runbook.state(snapshot.state.stateID)?.step(chosen) == nil { selected = nil }
        let step = selected ?? defaultStep(snapshot)
        do {
            switch action {
            case .mark(let mark, let note):
                let stepID = try require(step)
                var refusal: Refusal?
                do {
                    try record(.mark(step: stepID, mark, note: note))
                } catch {
                    refusal = error.refusal
                    guard note == nil, let refusal, case .noteRequired = refusal.reason else { throw error }
                }
                if let refusal {
                    // The engine asks for a note (after a failed run, past a gate): ask for it rather than refuse.
                    out(TTY.inline(refusal.message))
                    guard let text = ask("Note: "), !text.trimmingWhitespace.isEmpty else {
                        throw UserError(.usage, "no note given; step `\(stepID)` was not marked")
                    }
                    try record(.mark(step: stepID, mark, note: text))
                }
            case .input(let value):
                let stepID = try require(step)
                var answer = value
                if answer == nil, let definition = snapshot.runbook.state(snapshot.state.stateID)?.step(stepID),
                   case .input(let input) = definition.kind {
                    let choices = input.choices.map { " [" + $0.joined(separator: "/") + "]" } ?? ""
                    answer = ask(TTY.inline("\(definition.title)\(choices)") + ": ")
                }
                guard let answer, !answer.trimmingWhitespace.isEmpty else { throw UserError(.usage, "no value given; nothing recorded") }
                try record(.input(step: stepID, value: answer))
            case .approve:
                try record(.approve(step: try require(step)))
            case .breakGlass(let given):
                let stepID = try require(step)
                out("Breaking the glass completes approval `\(stepID)` without its role, pages its approvers at once with your reason, "
                    + "and is a finding in the post-mortem.")
                guard let reason = given ?? ask("Reason (the approvers read it; empty cancels): "), !reason.trimmingWhitespace.isEmpty else {
                    throw UserError(.usage, "no reason given; the approval was not overridden")
                }
                try record(.overrideApproval(step: stepID, reason: reason))
                if let claim = DeliveryClaim(databasePath: service.databasePath) {
                    defer { claim.release() }
                    printEvents(try await service.deliverPending(incidentID, notifier: Notifier()), snapshot: try service.snapshot(incidentID))
                }
            case .note(let text):
                let text = text ?? ask("Note: ")
                guard let text, !text.trimmingWhitespace.isEmpty else { throw UserError(.usage, "the note is empty; nothing recorded") }
                try record(.note(text))
            case .acknowledge:
                try record(.acknowledge)
            case .escalate(let reason):
                try record(.escalate(reason: reason))
            case .handOver(let name):
                try Workspace.checkActor(name, source: "as")
                actor = name
                out("(acting as \(name))")
            case .wait(let text):
                guard snapshot.state.drillClock != nil else {
                    throw UserError(.usage, "`wait` moves a drill's simulated clock; it works only in a drill (`runbook drill`)")
                }
                guard let duration = RunbookDuration(parsing: text) else { throw UserError(.usage, "wait \(text): expected a duration like 5m or 1h30m") }
                try record(.advanceDrillClock(duration))
                let moved = try service.snapshot(incidentID)
                out("(drill clock +\(duration): now \(LocalTime.full(service.now(for: moved.state))))")
            case .run:
                let stepID = try require(step)
                guard let definition = snapshot.runbook.state(snapshot.state.stateID)?.step(stepID),
                      case .command(let command) = definition.kind else {
                    throw UserError(.usage, "step `\(stepID)` is not a command step; select one with its number")
                }
                if drill, !runCommands {
                    try record(.mark(step: stepID, .skip, note: "drill: `\(command.run)` not run"))
                    return
                }
                // A gated step is refused before anyone is asked to confirm it.
                try service.checkCommandStart(stepID, on: incidentID, actor: actor, confirmed: true)
                if definition.destructive {
                    // A destructive command is confirmed by typing its step id, in every mode.
                    let answer = ask("DESTRUCTIVE: `\(TTY.inline(command.run))` (timeout \(definition.commandTimeout)). Type `\(stepID)` to run it: ")
                    guard answer?.trimmingWhitespace == stepID[...] else {
                        out("Not run.")
                        return
                    }
                } else if confirmCommands {
                    let answer = ask("Run `\(TTY.inline(command.run))` (timeout \(definition.commandTimeout))? [y/N] ")?.lowercased()
                    guard answer == "y" || answer == "yes" else {
                        out("Not run.")
                        return
                    }
                }
                out("Running \(stepID)…")
                let result = try await service.runCommandStep(stepID, on: incidentID, actor: actor, runner: CommandRunner(forwardsSignals: true),
                                                              confirmed: definition.destructive)
                printOutput(result.outcome)
                printEvents(result.events, snapshot: snapshot)
                let verdict = definition.verdict(of: result.outcome)
                if !verdict.succeeded {
                    failures += 1
                    out("Step `\(stepID)` \(TTY.inline(verdict.summary)). Decide: r run again · d done by hand · s skip · f fail (each but fail with a note)"
                        + (verdict.hint.map { ". \($0)" } ?? ""))
                }
                // Ctrl-C stops the command, not the session; SIGTERM and SIGHUP (a closed terminal) end both.
                if case .signal(let number) = result.outcome.interruption, number == SIGTERM || number == SIGHUP {
                    endingSignal = number
                }
            case .select(let target):
                let steps = snapshot.runbook.state(snapshot.state.stateID)?.steps ?? []
                if let number = Int(target), number >= 1, number <= steps.count {
                    selected = steps[number - 1].id
                } else if steps.contains(where: { $0.id == target }) {
                    selected = target
                } else {
                    throw UserError(.usage, "no step \(target) in this stage; steps are 1-\(steps.count): \(steps.map(\.id).joined(separator: ", "))")
                }
            case .status, .quit:
                break
            case .help:
                out(Self.helpText)
            }
        } catch {
            failures += 1
            err("runbook: error: \(TTY.inline((error as? UserError)?.message ?? "\(error)"))")
        }
    }

    func require(_ step: String?) throws(UserError) -> String {
        guard let step else { throw UserError(.usage, "every step of this stage is settled; nothing to act on") }
        return step
    }

    mutating func record(_ command: IncidentCommand) throws(UserError) {
        let events = try service.perform(command, on: incidentID, actor: actor)
        if case .mark = command { selected = nil }
        if case .input = command { selected = nil }
        printEvents(events, snapshot: try service.snapshot(incidentID))
    }

    func printEvents(_ events: [RecordedEvent], snapshot: IncidentSnapshot) {
        for event in events {
            let prefix = "#\(event.sequence) "
            out(tty.paint(prefix, .dim) + TTY.block(EventDescription.describe(event.event, runbook: snapshot.runbook), indent: TextWidth.of(prefix)))
        }
    }

    // MARK: - Interactive (a terminal)

    mutating func runInteractive() async throws {
        let terminal = RawTerminal()
        defer { terminal.restore() }
        var message = ""
        var lastSequence: Int64 = -1
        var snapshot = try service.snapshot(incidentID)
        while true {
            await tick(snapshot)
            if let summary = try? service.store.incident(incidentID), summary.lastSequence != lastSequence {
                snapshot = try service.snapshot(incidentID)
                lastSequence = summary.lastSequence
            }
            redraw(snapshot, message: message)
            guard let key = terminal.readKey(timeoutMilliseconds: 1000) else { continue }
            if key == "q" || key == "\u{03}" || key == "\u{04}" { break }
            let action: Action?
            switch key {
            case "d", "s", "f": action = .mark(key == "d" ? .done : key == "s" ? .skip : .fail, note: nil)
            case "e": action = .escalate(nil)
            case "\r", "\n": action = nil
            default: action = Self.parse(String(key))
            }
            guard let action else {
                message = Self.helpText
                continue
            }
            out("")
            terminal.restore()
            await perform(action, snapshot: snapshot) { prompt in
                print(prompt, terminator: "")
                return readLine(strippingNewline: true)
            }
            terminal.enableRaw()
            message = ""
            snapshot = try service.snapshot(incidentID)
            lastSequence = snapshot.state.lastSequence
            if case .help = action { message = Self.helpText }
            if endingSignal != nil { break }
            if snapshot.state.isClosed {
                redraw(snapshot, message: "Incident closed. Write the post-mortem with `runbook report \(incidentID)`.")
                break
            }
        }
        out("")
        terminal.restore()
        try leaveIfSignalled()
        out("Left guided mode; resume with `runbook guide \(incidentID)`.")
    }

    /// Ends the session with a clear line when a command run was interrupted by SIGTERM or SIGHUP.
    func leaveIfSignalled() throws(UserError) {
        guard let endingSignal else { return }
        let name = CommandInterruption.signal(endingSignal).stored
        throw UserError(.failed, "left guided mode: runbook received \(name) while a command ran; the run was recorded as interrupted; "
                        + "resume with `runbook guide \(incidentID)`")
    }

    func redraw(_ snapshot: IncidentSnapshot, message: String) {
        let width = TTY.columns
        var screen = "\u{1B}[H\u{1B}[2J"
        let selected = self.selected ?? defaultStep(snapshot)
        for line in IncidentScreen.render(snapshot, now: service.now(for: snapshot.state), tty: tty, width: width, selected: selected,
                                          integrity: try? service.integrity(of: snapshot)) {
            screen += line + "\r\n"
        }
        screen += "\r\n" + TTY.fit(message.isEmpty ? Self.helpText : TTY.inline(message), width: width) + "\r\n"
        print(screen, terminator: "")
        fflush(nil)
    }
}

/// Puts the terminal in raw mode (no line buffering, no echo) and back.
final class RawTerminal {
    private var original = termios()
    private let active: Bool

    init() {
        active = tcgetattr(STDIN_FILENO, &original) == 0
        enableRaw()
    }

    func enableRaw() {
        guard active else { return }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
    }

    func restore() {
        guard active else { return }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
    }

    deinit {
        restore()
    }

    /// One key, or nil when none came within the timeout.
    func readKey(timeoutMilliseconds: Int32) -> Character? {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeoutMilliseconds) > 0 else { return nil }
        var byte: UInt8 = 0
        guard read(STDIN_FILENO, &byte, 1) == 1 else { return "q" }
        return Character(Unicode.Scalar(byte))
    }
}
