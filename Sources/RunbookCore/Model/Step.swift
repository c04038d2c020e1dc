/// One step of a stage.
public struct Step: Sendable, Equatable {
    public var id: String
    public var title: String
    public var note: String?
    public var kind: StepKind
    /// A deadline counted from starting the step; for a command, the time after which it is killed.
    public var timeout: RunbookDuration?
    /// Steps of the same state that must be done or skipped before this one can be acted on.
    public var needs: [String]
    /// A command that destroys or overwrites data: it runs only after the responder confirms by typing its id.
    public var destructive: Bool

    public init(id: String, title: String, note: String? = nil, kind: StepKind = .manual, timeout: RunbookDuration? = nil,
                needs: [String] = [], destructive: Bool = false) {
        self.id = id
        self.title = title
        self.note = note
        self.kind = kind
        self.timeout = timeout
        self.needs = needs
        self.destructive = destructive
    }

    /// The approval this step asks for, if it is an approval step.
    public var approval: ApprovalSpec? {
        if case .approval(let spec) = kind { return spec }
        return nil
    }

    /// How long a command step may run before its process group is killed.
    public var commandTimeout: RunbookDuration {
        timeout ?? CommandSpec.defaultTimeout
    }

    /// The environment variable through which this step's input reaches later commands.
    public var variableName: String { Self.variableName(for: id) }

    /// `RUNBOOK_VAR_<STEP_ID>`: upper case, `-` as `_`.
    public static func variableName(for stepID: String) -> String {
        "RUNBOOK_VAR_" + String(stepID.uppercased().map { $0 == "-" ? "_" : $0 })
    }
}

/// What a step asks of the responder.
public enum StepKind: Sendable, Equatable {
    /// The responder marks it done, skipped or failed.
    case manual
    /// A shell command run with `/bin/sh -c` after confirmation.
    case command(CommandSpec)
    /// A value chosen from a list or typed as free text.
    case input(InputSpec)
    /// Sign-off by `min` distinct holders of `role`.
    case approval(ApprovalSpec)
    /// Completes by itself when the time has passed.
    case wait(RunbookDuration)

    /// The kind's name as written in views.
    public var name: String {
        switch self {
        case .manual: "manual"
        case .command: "command"
        case .input: "input"
        case .approval: "approval"
        case .wait: "wait"
        }
    }
}

public struct CommandSpec: Sendable, Equatable {
    public var run: String
    public var expectExit: Int32
    /// What the output must show, checked once the exit code is as expected (`expect:`).
    public var expect: CommandExpectation?
    /// Variables added to the command's environment (`env:`), in the order written.
    public var environment: [EnvironmentEntry]
    /// The directory the command runs in (`workdir:`), as written; a relative one is the database's directory's.
    public var workdir: String?

    /// The kill timeout of a command step that names none.
    public static let defaultTimeout = RunbookDuration.minutes(10)

    public init(run: String, expectExit: Int32 = 0, expect: CommandExpectation? = nil, environment: [EnvironmentEntry] = [],
                workdir: String? = nil) {
        self.run = run
        self.expectExit = expectExit
        self.expect = expect
        self.environment = environment
        self.workdir = workdir
    }
}

public struct InputSpec: Sendable, Equatable {
    /// The allowed values; nil for free text.
    public var choices: [String]?
    public var prompt: String?
    /// The state to move to for a choice, in the order written.
    public var goto: [(choice: String, state: String)]
    /// What the recorded value sets on the incident (`sets: severity`), declared rather than guessed from the id.
    public var sets: InputTarget?
    /// The post-mortem section the recorded value is filed under (`report: impact`).
    public var report: ReportSection?

    public init(choices: [String]? = nil, prompt: String? = nil, goto: [(choice: String, state: String)] = [], sets: InputTarget? = nil,
                report: ReportSection? = nil) {
        self.choices = choices
        self.prompt = prompt
        self.goto = goto
        self.sets = sets
        self.report = report
    }

    public static func == (lhs: InputSpec, rhs: InputSpec) -> Bool {
        lhs.choices == rhs.choices && lhs.prompt == rhs.prompt && lhs.sets == rhs.sets && lhs.report == rhs.report
            && lhs.goto.map(\.choice) == rhs.goto.map(\.choice) && lhs.goto.map(\.state) == rhs.goto.map(\.state)
    }

    /// The state a recorded value moves to, if any.
    public func target(for value: String) -> String? {
        goto.first { $0.choice == value }?.state
    }
}

public struct ApprovalSpec: Sendable, Equatable {
    public var role: String
    public var min: Int

    public init(role: String, min: Int = 1) {
        self.role = role
        self.min = min
    }
}

/// What an input step's value sets on the incident.
public enum InputTarget: String, Sendable, Equatable, CaseIterable {
    /// The value (one of SEV1…SEV4) becomes the incident's severity.
    case severity
}

/// A section of the post-mortem that notes (`impact: …`), the resolve note and input steps (`report: impact`) fill.
public enum ReportSection: String, Sendable, Equatable, CaseIterable {
    case impact
    case rootCause = "root-cause"
    case trigger, resolution, detection
}
