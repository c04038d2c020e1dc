import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct StepCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "step",
            abstract: "Mark a step of the current stage done, skipped or failed.",
            discussion: """
                Example: runbook step INC-20261126-0001 confirm-alert done --note "Sentry spike at 10:40"
                When every step of the stage is done or skipped, the incident moves to the next stage;
                a failed step follows the stage's on_fail. Command, input and approval steps have their
                own commands (run, input, approve).

                A step that waits for others (needs, order: sequential, an approval before it) cannot be
                done until they are; it may still be skipped or failed with a note. After a command's run
                failed, `done` (by hand: say what was checked instead) and `skip` need a note; only `fail`
                follows on_fail. Only holders of an approval's role may skip or fail it.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Argument(help: "The step id (see `runbook status INCIDENT`).")
        var step: String

        @Argument(help: "done, skip or fail.")
        var outcome: MarkArgument

        @Option(help: "A note kept with the step.")
        var note: String?

        func run() async throws {
            try record(.mark(step: step, outcome.mark, note: note), incident: incident, global: global, action: action)
        }
    }

    struct Input: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the value of an input step.",
            discussion: """
                Example: runbook input INC-20261126-0001 severity SEV1
                The value reaches later command steps only as the environment variable RUNBOOK_VAR_<STEP_ID>.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Argument(help: "The input step id.")
        var step: String

        @Argument(help: "The value (one of the step's choices, or free text).")
        var value: String

        func run() async throws {
            try record(.input(step: step, value: value), incident: incident, global: global, action: action)
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve an approval step (only holders of its role in the roster may), or break the glass.",
            discussion: """
                An approval gates every step listed after it in its stage. Only holders of its role may
                approve, skip or fail it; when the roster binds a person to logins, only from those logins.
                A refused approval is recorded in the log too.

                In an emergency, anyone on the roster may break the glass:
                  runbook approve INC approve-reset --break-glass --reason "manager unreachable for 20m"
                completes the approval whatever its min, pages the approval's role at once with your reason,
                and shows as a finding in status and the post-mortem.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Argument(help: "The approval step id.")
        var step: String

        @Flag(help: "Override the approval without its role (recorded, paged, reported).")
        var breakGlass = false

        @Option(help: "Why the glass is broken (required with --break-glass; the approvers read it).")
        var reason: String?

        func validate() throws {
            if reason != nil, !breakGlass {
                throw ValidationError("--reason goes with --break-glass; an ordinary approval needs no reason")
            }
        }

        func run() async throws {
            guard breakGlass else {
                try record(.approve(step: step), incident: incident, global: global, action: action)
                return
            }
            let workspace = Workspace(global: global)
            let service = try workspace.service()
            let incident = try service.resolveIncidentID(self.incident)
            try record(.overrideApproval(step: step, reason: reason ?? ""), incident: incident, global: global, action: action,
                       service: service)
            try await workspace.deliverUnlessWatched(incident, service: service)
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a note to an incident's log.",
            discussion: """
                Notes starting with `action:` become action items in the post-mortem;
                `went-well:`, `went-wrong:` and `lucky:` fill its lessons learned.
                A note may span lines; every view shows control characters in it as text (\\e, \\x07, \\u{202E}).
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Argument(help: "The note.")
        var text: String

        func run() async throws {
            try record(.note(text), incident: incident, global: global, action: action)
        }
    }

    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge an incident: someone is on it.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        func run() async throws {
            try record(.acknowledge, incident: incident, global: global, action: action)
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an incident resolved (service restored) before its resolving stage completes.",
            discussion: "The RTO clock stops at this time. The runbook's remaining stages (the follow-up) still apply.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Option(help: "How service was restored.")
        var note: String?

        func run() async throws {
            try record(.resolve(note: note), incident: incident, global: global, action: action)
        }
    }
}

/// The outcome argument of `runbook step`.
enum MarkArgument: String, ExpressibleByArgument, CaseIterable {
    case done, skip, fail

    var mark: IncidentCommand.StepMark {
        switch self {
        case .done: .done
        case .skip: .skip
        case .fail: .fail
        }
    }
}

/// Records one command on an incident and prints what happened.
func record(_ command: IncidentCommand, incident: String, global: GlobalOptions, action: ActionOptions,
            service existing: IncidentService? = nil) throws {
    let workspace = Workspace(global: global)
    let service = try existing ?? workspace.service()
    let incident = try service.resolveIncidentID(incident)
    let now = service.clock.now()
    let events = try service.perform(command, on: incident, actor: try workspace.actor(action),
                                     occurredAt: try workspace.occurredAt(action, now: now))
    try printRecorded(events, incident: incident, service: service)
}

/// Prints each recorded event as `INCIDENT #SEQUENCE what happened`.
func printRecorded(_ events: [RecordedEvent], incident: String, service: IncidentService) throws(UserError) {
    guard !events.isEmpty else { return }
    let runbook = try service.runbook(of: incident)
    for event in events {
        let prefix = "\(TTY.inline(incident)) #\(event.sequence) "
        out(prefix + TTY.block(EventDescription.describe(event.event, runbook: runbook), indent: TextWidth.of(prefix)))
    }
}
