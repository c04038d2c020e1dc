#if canImport(Glibc)
import Glibc
#endif
import RunbookCore
import RunbookRuntime

/// Guided mode: the incident screen and single-key actions on a terminal, or one action per line otherwise.
/// Every string it shows is in `GuidedText`.
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
    /// On a terminal, what actions say is kept here and shown under the screen until the next key;
    /// in scripted mode it is printed at once.
    var interactive = false
    var messages: [GuidedMessage] = []
    /// Shown when the session starts (the actor's standing, `Workspace.unlistedActorNotice`).
    var notices: [String] = []

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
        case undo(String?)
        case output
        case wait(String)
        case handOver(String)
        case select(String)
        /// Arrow keys and Tab: the next (+1) or previous (-1) step of the stage.
        case move(Int)
        case status
        case help
        case quit
    }

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
        case "u", "undo": return .undo(argument)
        case "o", "output": return .output
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
            // Under the first screen: printed before it, a notice would stay hidden behind the alternate screen.
            messages = notices.map { GuidedMessage(text: $0, isError: false) }
            try await runInteractive()
        } else {
            for notice in notices { err(notice) }
            try await runScripted()
        }
    }

    // MARK: - Scripted (stdin not a terminal)

    mutating func runScripted() async throws {
        var snapshot = try service.snapshot(incidentID)
        await tick(snapshot)
        snapshot = try service.snapshot(incidentID)
        printScreen(snapshot, width: nil)
        let io = ScriptedIO()
        while let line = readLine(strippingNewline: true) {
            guard !line.trimmingWhitespace.isEmpty, !line.hasPrefix("#") else { continue }
            guard let action = Self.parse(line) else {
                failures += 1
                err(GuidedText.errorPrefix + GuidedText.unknownAction(TTY.inline(line)))
                continue
            }
            if action == .quit { break }
            let stageBefore = snapshot.state.visits.count
            await perform(action, snapshot: snapshot, io: io)
            await tick(snapshot)
            snapshot = try service.snapshot(incidentID)
            if action == .status || snapshot.state.visits.count != stageBefore { printScreen(snapshot, width: nil) }
            if snapshot.state.isClosed || endingSignal != nil { break }
        }
        try leaveIfSignalled()
        if failures > 0 {
            throw UserError(.failed, GuidedText.failures(failures))
        }
    }

    /// Records what time has made due and, when no watcher does it (always in a drill), delivers the pages.
    mutating func tick(_ snapshot: IncidentSnapshot) async {
        do {
            let due = try service.bringUpToDate(incidentID)
            show(due, snapshot: snapshot)
            show(try await service.deliverOwed(incidentID).deliveries, snapshot: snapshot)
        } catch {
            failures += 1
            complain(error.message)
        }
    }

    func printScreen(_ snapshot: IncidentSnapshot, width: Int?) {
        let selected = self.selected ?? Self.defaultStep(snapshot)
        for line in IncidentScreen.render(snapshot, now: service.now(for: snapshot.state), tty: tty, width: width, selected: selected,
                                          integrity: try? service.integrity(of: snapshot)) {
            out(line)
        }
    }

    /// The first step of the current stage that is not done or skipped.
    static func defaultStep(_ snapshot: IncidentSnapshot) -> String? {
        let steps = snapshot.runbook.state(snapshot.state.stateID)?.steps ?? []
        return steps.first { snapshot.state.steps[$0.id]?.isSettled != true }?.id
    }

    /// What an action says: printed at once in scripted mode, kept for the screen on a terminal.
    mutating func say(_ text: String) {
        if interactive { messages.append(GuidedMessage(text: text, isError: false)) } else { out(text) }
    }

    /// A refusal or failure: on stderr in scripted mode, in red under the screen on a terminal.
    mutating func complain(_ text: String) {
        if interactive {
            messages.append(GuidedMessage(text: TTY.inline(text), isError: true))
        } else {
            err(GuidedText.errorPrefix + TTY.inline(text))
        }
    }

    /// Performs one action; `io` asks the questions it needs (nil: cancelled or end of input).
    mutating func perform(_ action: Action, snapshot: IncidentSnapshot, io: some GuidedIO) async {
        // A selection made on an earlier stage does not carry over.
        if let chosen = selected, snapshot.runbook.state(snapshot.state.stateID)?.step(chosen) == nil { selected = nil }
        let step = selected ?? Self.defaultStep(snapshot)
        do {
            switch action {
            case .mark(let mark, let note):
                let stepID = try require(step)
                var refusal: Refusal?
                do {
                    guard try await confirmClosing(.mark(step: stepID, mark, note: note), io: io) else { return }
                    try await record(.mark(step: stepID, mark, note: note))
                } catch {
                    refusal = error.refusal
                    guard note == nil, let refusal, case .noteRequired = refusal.reason else { throw error }
                }
                if let refusal {
                    // The engine asks for a note (after a failed run, past a gate): ask for it rather than refuse.
                    say(TTY.inline(refusal.message))
                    guard let text = await io.ask(GuidedPrompt(GuidedText.notePrompt, context: messages)), !text.trimmingWhitespace.isEmpty else {
                        throw UserError(.usage, GuidedText.noNoteGiven(step: stepID))
                    }
                    guard try await confirmClosing(.mark(step: stepID, mark, note: text), io: io) else { return }
                    try await record(.mark(step: stepID, mark, note: text))
                }
            case .input(let value):
                let stepID = try require(step)
                var answer = value
                if answer == nil, let definition = snapshot.runbook.state(snapshot.state.stateID)?.step(stepID) {
                    // A step that takes no input is the engine's to refuse, with its reason; there is nothing to ask.
                    guard case .input(let input) = definition.kind else {
                        try await record(.input(step: stepID, value: ""))
                        return
                    }
                    let prompt = GuidedText.inputPrompt(title: TTY.inline(definition.title), choices: input.choices)
                    answer = await io.ask(GuidedPrompt(prompt, context: messages))
                }
                guard let answer, !answer.trimmingWhitespace.isEmpty else { throw UserError(.usage, GuidedText.noValueGiven) }
                guard try await confirmClosing(.input(step: stepID, value: answer), io: io) else { return }
                try await record(.input(step: stepID, value: answer))
            case .approve:
                try await record(.approve(step: try require(step)))
            case .breakGlass(let given):
                let stepID = try require(step)
                // Refused at once when it cannot apply (not an approval, not on the roster), before asking why.
                if given == nil { try service.check(.overrideApproval(step: stepID, reason: "?"), on: incidentID, actor: actor) }
                say(GuidedText.breakGlassExplanation(step: stepID))
                var reason = given
                if reason == nil { reason = await io.ask(GuidedPrompt(GuidedText.breakGlassPrompt, context: messages)) }
                guard let reason, !reason.trimmingWhitespace.isEmpty else {
                    throw UserError(.usage, GuidedText.noReasonGiven)
                }
                try await record(.overrideApproval(step: stepID, reason: reason))
            case .note(let given):
                var text = given
                if text == nil {
                    // Piped, a note is written on its own line (`note TEXT`): the next line is the next action, never the note.
                    guard !(io is ScriptedIO) else { throw UserError(.usage, GuidedText.noteNeedsTextInline) }
                    text = await io.ask(GuidedPrompt(GuidedText.notePrompt, context: messages))
                    guard text != nil else { throw UserError(.usage, GuidedText.promptCancelled) }
                }
                guard let text, !text.trimmingWhitespace.isEmpty else { throw UserError(.usage, GuidedText.emptyNote) }
                try await record(.note(text))
            case .acknowledge:
                try await record(.acknowledge)
            case .escalate(let reason):
                try await record(.escalate(reason: reason))
            case .undo(let given):
                // Without a selection, the step marked last in this stage: the mistake just made.
                let stepID = try require(selected ?? Self.lastMarkedStep(snapshot) ?? step)
                // Refused at once when there is nothing to undo, before asking why.
                try service.check(.undo(step: stepID, note: "?"), on: incidentID, actor: actor)
                var note = given
                if note == nil {
                    guard !(io is ScriptedIO) else { throw UserError(.usage, GuidedText.undoNeedsNoteInline) }
                    note = await io.ask(GuidedPrompt(GuidedText.undoPrompt(step: stepID), context: messages))
                    guard note != nil else { throw UserError(.usage, GuidedText.promptCancelled) }
                }
                guard let note, !note.trimmingWhitespace.isEmpty else { throw UserError(.usage, GuidedText.undoNeedsNoteInline) }
                try await record(.undo(step: stepID, note: note))
            case .output:
                try showOutput(of: try require(selected ?? Self.lastCommandStep(snapshot) ?? step), snapshot: snapshot)
            case .handOver(let name):
                // Through a server the token decides who acts (SPEC §10), as for --as.
                guard service.remote == nil else { throw UserError(.usage, Message.server(.asRefused)) }
                try Workspace.checkActor(name, source: "as")
                actor = name
                say(GuidedText.actingAs(name))
            case .wait(let text):
                guard snapshot.state.drillClock != nil else { throw UserError(.usage, GuidedText.waitOnlyInDrills) }
                guard let duration = RunbookDuration(parsing: text) else { throw UserError(.usage, GuidedText.badWait(text)) }
                try await record(.advanceDrillClock(duration))
                let moved = try service.snapshot(incidentID)
                say(GuidedText.drillClockMoved(by: duration, now: LocalTime.full(service.now(for: moved.state))))
            case .run:
                try await runStep(step, snapshot: snapshot, io: io)
            case .select(let target):
                let steps = snapshot.runbook.state(snapshot.state.stateID)?.steps ?? []
                if let number = Int(target), number >= 1, number <= steps.count {
                    selected = steps[number - 1].id
                } else if steps.contains(where: { $0.id == target }) {
                    selected = target
                } else {
                    throw UserError(.usage, GuidedText.noSuchStep(target, ids: steps.map(\.id)))
                }
            case .move(let offset):
                let steps = snapshot.runbook.state(snapshot.state.stateID)?.steps ?? []
                guard !steps.isEmpty else { break }
                let current = step.flatMap { id in steps.firstIndex { $0.id == id } } ?? (offset > 0 ? -1 : 0)
                selected = steps[((current + offset) % steps.count + steps.count) % steps.count].id
            case .status, .quit:
                break
            case .help:
                if interactive {
                    messages += GuidedText.fullHelp.map { GuidedMessage(text: $0, isError: false) }
                } else {
                    out(GuidedText.scriptedActions)
                }
            }
        } catch {
            failures += 1
            complain((error as? UserError)?.message ?? "\(error)")
        }
    }

    /// Runs the selected command step: a gated step is refused before anyone is asked; a destructive one is
    /// confirmed by typing its id, another with one key (unless --yes).
    mutating func runStep(_ step: String?, snapshot: IncidentSnapshot, io: some GuidedIO) async throws {
        let stepID = try require(step)
        if let call = snapshot.runbook.state(snapshot.state.stateID)?.step(stepID)?.call {
            try await startCall(stepID, call: call, snapshot: snapshot, io: io)
            return
        }
        guard let definition = snapshot.runbook.state(snapshot.state.stateID)?.step(stepID),
              case .command(let command) = definition.kind else {
            throw UserError(.usage, GuidedText.notACommandStep(stepID))
        }
        if drill, !runCommands {
            try await record(.mark(step: stepID, .skip, note: "drill: `\(command.run)` not run"))
            return
        }
        try service.checkCommandStart(stepID, on: incidentID, actor: actor, confirmed: true)
        if definition.destructive {
            // A destructive command is confirmed by typing its step id, in every mode.
            let prompt = GuidedText.destructivePrompt(command: TTY.inline(command.run), timeout: definition.commandTimeout, step: stepID)
            let answer = await io.ask(GuidedPrompt(prompt, context: messages))
            guard answer?.trimmingWhitespace == stepID[...] else {
                say(GuidedText.notRun)
                return
            }
        } else if confirmCommands {
            let prompt = GuidedText.runPrompt(command: TTY.inline(command.run), timeout: definition.commandTimeout)
            let answer = await io.ask(GuidedPrompt(prompt, kind: .key, context: messages))?.lowercased()
            guard answer == "y" || answer == "yes" else {
                say(GuidedText.notRun)
                return
            }
        }
        io.willRun(GuidedText.running(stepID))
        defer { io.didRun() }
        if !interactive { out(GuidedText.running(stepID)) }
        let result = try await service.runCommandStep(stepID, on: incidentID, actor: actor, runner: CommandRunner(forwardsSignals: true),
                                                      confirmed: definition.destructive)
        // On a terminal the last lines of the output show under the step.
        if !interactive { printOutput(result.outcome) }
        show(result.events, snapshot: snapshot)
        let verdict = result.verdict
        if !verdict.succeeded {
            failures += 1
            say(GuidedText.runFailed(step: stepID, summary: TTY.inline(verdict.summary(in: GuidedText.language)),
                                     hint: verdict.hint(in: GuidedText.language)))
        }
        // Ctrl-C stops the command, not the session; SIGTERM and SIGHUP (a closed terminal) end both.
        if case .signal(let number) = result.outcome.interruption, number == SIGTERM || number == SIGHUP {
            endingSignal = number
        }
    }

    /// Starts the child incident of a call step, asked with one key as a command is (unless --yes); a gated step is
    /// refused before anyone is asked.
    mutating func startCall(_ stepID: String, call: CallSpec, snapshot: IncidentSnapshot, io: some GuidedIO) async throws {
        try service.check(.startCall(step: stepID, child: nil), on: incidentID, actor: actor)
        if confirmCommands {
            let prompt = Message.callPrompt(runbook: call.runbook).text(in: GuidedText.language)
            let answer = await io.ask(GuidedPrompt(prompt, kind: .key, context: messages))?.lowercased()
            guard answer == "y" || answer == "yes" else {
                say(GuidedText.notRun)
                return
            }
        }
        let started = try service.startCall(stepID, on: incidentID, actor: actor)
        say(Message.callStarted(child: started.child.state.id, runbook: call.runbook, step: stepID).text(in: GuidedText.language))
        show(started.events, snapshot: snapshot)
    }

    /// On a terminal, asks with one key before an action that would resolve or close the incident (a refused
    /// action goes ahead and meets its refusal). Scripted sessions are not asked.
    mutating func confirmClosing(_ command: IncidentCommand, io: some GuidedIO) async throws(UserError) -> Bool {
        guard interactive, let events = try? service.preview(command, on: incidentID, actor: actor) else { return true }
        let closes = events.contains { if case .closed = $0 { true } else { false } }
        let resolves = events.contains { if case .resolved = $0 { true } else { false } }
        guard closes || resolves else { return true }
        let prompt = GuidedText.closingPrompt(incident: incidentID, closes: closes)
        let answer = await io.ask(GuidedPrompt(prompt, kind: .key, context: messages))?.lowercased()
        if answer == "y" { return true }
        say(GuidedText.notClosed)
        return false
    }

    /// The step of the current stage whose mark is the latest, if any is still marked.
    static func lastMarkedStep(_ snapshot: IncidentSnapshot) -> String? {
        snapshot.state.steps.filter { $0.value.finished != nil && $0.value.status != .attemptFailed }
            .max { ($0.value.finished?.sequence ?? 0) < ($1.value.finished?.sequence ?? 0) }?.key
    }

    /// The command step of the current stage that ran last.
    static func lastCommandStep(_ snapshot: IncidentSnapshot) -> String? {
        guard let stage = snapshot.runbook.state(snapshot.state.stateID) else { return nil }
        for event in snapshot.events.reversed() {
            if case .commandFinished(_, let step, _) = event.event, stage.step(step) != nil { return step }
        }
        return nil
    }

    /// The selected command step's last output: all of it in scripted mode, what fits on a terminal.
    mutating func showOutput(of stepID: String, snapshot: IncidentSnapshot) throws(UserError) {
        let runs = snapshot.events.compactMap { event -> CommandOutcome? in
            guard case .commandFinished(_, let step, let outcome) = event.event, step == stepID else { return nil }
            return outcome
        }
        guard let outcome = runs.last else { throw UserError(.usage, GuidedText.noOutput(stepID)) }
        let verdict = snapshot.runbook.verdict(of: outcome, step: stepID)
        say(GuidedText.outputHeader(step: stepID, attempt: runs.count, summary: TTY.inline(verdict.summary(in: GuidedText.language))))
        guard interactive else {
            printOutput(outcome)
            return
        }
        let lines = CommandOutputTail.lines(of: outcome, count: 12)
        if lines.isEmpty { say(GuidedText.outputEmpty) }
        for line in lines { say("  " + line) }
    }

    func require(_ step: String?) throws(UserError) -> String {
        guard let step else { throw UserError(.usage, GuidedText.nothingToActOn) }
        return step
    }

    /// Performs an action through the service (recording it and delivering the pages it leaves owed, unless a
    /// watcher does) and shows what it did.
    mutating func record(_ command: IncidentCommand) async throws(UserError) {
        let outcome = try await service.act(command, on: incidentID, actor: actor)
        if case .mark = command { selected = nil }
        if case .input = command { selected = nil }
        show(outcome.events + outcome.deliveries, snapshot: try service.snapshot(incidentID))
    }

    /// Events just recorded: printed in scripted mode; on a terminal the screen's recent events show them.
    func show(_ events: [RecordedEvent], snapshot: IncidentSnapshot) {
        guard !interactive else { return }
        for event in events {
            let prefix = "#\(event.sequence) "
            out(tty.paint(prefix, .dim) + TTY.block(EventDescription.describe(event.event, runbook: snapshot.runbook), indent: TextWidth.of(prefix)))
        }
    }

    // MARK: - Interactive (a terminal)

    mutating func runInteractive() async throws {
        interactive = true
        let terminal = GuidedTerminal()
        let io = InteractiveIO(terminal: terminal, service: service, incidentID: incidentID, tty: tty)
        var closing = false
        while true {
            await io.refresh()
            io.selected = io.snapshot.flatMap { selected ?? Self.defaultStep($0) }
            io.draw(messages: messages, prompt: nil)
            if io.typeAhead.isEmpty {
                guard let keys = terminal.readKeys(timeoutMilliseconds: 1000) else { continue }
                // Typed text is one key per character: `4a` selects step 4, then approves it.
                io.typeAhead = keys.flatMap { key -> [Key] in
                    if case .text(let typed) = key { return typed.map { .text(String($0)) } }
                    return [key]
                }
            }
            // The incident could not be read (the refresh's error is on screen): any key leaves.
            guard let snapshot = io.snapshot else { break }
            var quit = false
            while !io.typeAhead.isEmpty {
                let key = io.typeAhead.removeFirst()
                let action: Action?
                switch key {
                case .text(let typed):
                    action = typed == "q" || typed == "Q" ? .quit : Self.parse(typed)
                    if action == nil {
                        messages = [GuidedMessage(text: GuidedText.unknownKey(TTY.inline(typed)), isError: true)]
                    }
                case .up, .backTab: action = .move(-1)
                case .down, .tab: action = .move(1)
                case .control(0x03), .control(0x04), .endOfInput: action = .quit
                case .escape, .enter: action = nil; messages = []
                default: action = nil
                }
                guard let action else { continue }
                if action == .quit {
                    quit = true
                    break
                }
                messages = []
                io.selected = selected ?? Self.defaultStep(snapshot)
                await perform(action, snapshot: (try? service.snapshot(incidentID)) ?? snapshot, io: io)
                // What the action recorded shows at once.
                io.invalidate()
                if endingSignal != nil || ((try? service.snapshot(incidentID))?.state.isClosed ?? false) { break }
            }
            if quit || endingSignal != nil { break }
            if let latest = try? service.snapshot(incidentID), latest.state.isClosed {
                messages.append(GuidedMessage(text: GuidedText.incidentClosed(incidentID), isError: false))
                closing = true
                io.invalidate()
                await io.refresh()
                io.draw(messages: messages, prompt: nil)
                // The closed screen stays until a key (or at once for a closed terminal).
                _ = terminal.readKeys(timeoutMilliseconds: 5000)
                break
            }
        }
        terminal.restore()
        try leaveIfSignalled()
        if closing { out(GuidedText.incidentClosed(incidentID)) }
        out(GuidedText.leftGuidedMode(incidentID))
    }

    /// Ends the session with a clear line when a command run was interrupted by SIGTERM or SIGHUP.
    func leaveIfSignalled() throws(UserError) {
        guard let endingSignal else { return }
        throw UserError(.failed, GuidedText.leftOnSignal(CommandInterruption.signal(endingSignal).stored, incident: incidentID))
    }
}

/// A line guided mode shows under the screen: what an action said, or a refusal (in red).
struct GuidedMessage: Equatable {
    var text: String
    var isError: Bool
}

/// A question an action asks.
struct GuidedPrompt {
    enum Kind {
        /// A line of text, edited with `LineEditor`.
        case line
        /// One key: `y` or anything else (no Enter).
        case key
    }

    var label: String
    var kind: Kind
    /// What the action said so far, shown above the prompt.
    var context: [GuidedMessage]

    init(_ label: String, kind: Kind = .line, context: [GuidedMessage]) {
        self.label = label
        self.kind = kind
        self.context = context
    }
}

/// Where an action's questions go: stdin lines (scripted) or the terminal (interactive).
protocol GuidedIO {
    /// The answer, or nil when cancelled (Esc, Ctrl-C) or at end of input.
    func ask(_ prompt: GuidedPrompt) async -> String?
    /// A command is about to run: show it and let Ctrl-C reach it.
    func willRun(_ message: String)
    func didRun()
}

/// Questions on stdout, answers one line each from stdin.
struct ScriptedIO: GuidedIO {
    func ask(_ prompt: GuidedPrompt) async -> String? {
        out(prompt.label)
        return readLine(strippingNewline: true)
    }

    func willRun(_ message: String) {}
    func didRun() {}
}
