import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Oncall: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "oncall",
            abstract: "Who is on call now (or at a time), by the roster's rotations.",
            discussion: """
                For each rotation in roster.yaml (`rotations:`): the person on duty, their shift, until when, \
                and who is next; overrides in force are shown. When nobody is on duty, a page to the role goes to \
                every holder of it. Read-only.

                  runbook oncall
                  runbook oncall --at "2026-12-05 20:00"
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The time to ask about: 10:42, \"2026-11-26 10:42\" or ISO-8601 (default: now).", valueName: "time"))
        var at: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let workspace = Workspace(global: global)
            let now = try workspace.clock().now()
            var instant = now
            if let at {
                guard let parsed = LocalTime.parse(at, reference: now) else { throw UserError(.usage, .notATime(flag: "--at", text: at)) }
                instant = parsed
            }
            let roster = try workspace.team().roster
            if json {
                out(JSONValue.array(roster.rotations.map { Self.json($0, roster: roster, at: instant) }).prettyText)
                return
            }
            guard !roster.rotations.isEmpty else {
                out(Message.noRotations(file: "\(global.runbooksPath)/roster.yaml").text())
                return
            }
            for rotation in roster.rotations {
                if let duty = rotation.onDuty(at: instant) {
                    out(TTY.inline(Message.onDutyLine(role: rotation.role, person: duty.person, shift: duty.shift,
                                                      until: rotation.format(duty.until), next: duty.next).text()))
                } else {
                    out(TTY.inline(Message.nobodyOnDuty(role: rotation.role, holders: roster.holders[rotation.role] ?? []).text()))
                }
                for cover in rotation.overrides where cover.end > instant && cover.start <= instant {
                    out("  " + TTY.inline(Message.overrideInForce(person: cover.person, from: rotation.format(cover.start),
                                                                  to: rotation.format(cover.end), reason: cover.reason).text()))
                }
            }
        }

        static func json(_ rotation: Rotation, roster: Roster, at instant: Instant) -> JSONValue {
            let duty = rotation.onDuty(at: instant)
            return .object([
                ("role", .string(rotation.role)), ("at", .string(instant.iso8601)), ("timezone", .string(rotation.zone.name)),
                ("person", .optional(duty?.person)), ("shift", .optional(duty?.shift)), ("until", .optional(duty?.until.iso8601)),
                ("next", .optional(duty?.next)),
                ("override", duty?.override.map { cover in
                    .object([("person", .string(cover.person)), ("from", .string(cover.start.iso8601)), ("to", .string(cover.end.iso8601)),
                             ("reason", .optional(cover.reason))])
                } ?? .null),
                ("paged_instead", duty == nil ? .array((roster.holders[rotation.role] ?? []).map { .string($0) }) : .null),
            ])
        }
    }
}
