public import RunbookCore

/// A command line working through the team server (SPEC §10): the service reads the server's log (`RemoteEventStore`)
/// and sends every action to the server, which decides it with the caller's token and records it. Nothing is
/// decided here that the server does not decide again: the checks this process makes first (guided mode's prompts)
/// run the same engine on the same log, under the token's identity.
extension IncidentService {
    /// The team server this service works through; nil for a local database.
    public var remote: RemoteEventStore? { store as? RemoteEventStore }

    /// The API route and body of an action, or nil for one that only the server's host takes (the watcher's own
    /// records, a drill's clock).
    static func route(of command: IncidentCommand) -> (path: String, body: [(String, JSONValue)])? {
        func onStep(_ id: String, _ action: String) -> String { "steps/\(PercentEncoding.encode(id))/\(action)" }
        switch command {
        case .mark(let step, let mark, let note):
            let name = switch mark {
            case .done: "done"
            case .skip: "skip"
            case .fail: "fail"
            }
            return (onStep(step, name), [("note", .optional(note))])
        case .undo(let step, let note): return (onStep(step, "undo"), [("note", .string(note))])
        case .input(let step, let value): return (onStep(step, "input"), [("value", .string(value))])
        case .approve(let step): return (onStep(step, "approve"), [])
        case .overrideApproval(let step, let reason):
            return (onStep(step, "approve"), [("break_glass", .bool(true)), ("reason", .string(reason))])
        case .note(let text): return ("notes", [("text", .string(text))])
        case .acknowledge: return ("ack", [])
        case .escalate(let reason): return ("escalate", [("reason", .optional(reason))])
        case .resolve(let note): return ("resolve", [("note", .optional(note))])
        case .reopen(let reason): return ("reopen", [("reason", .string(reason))])
        case .changeSeverity(let severity): return ("severity", [("severity", .string(severity))])
        case .startCommand, .finishCommand, .startCall, .settleCall, .reloadRoster, .advanceDrillClock, .receiveAlert:
            return nil
        }
    }

    /// The API path of an incident, or of `rest` under it.
    static func incidentPath(_ incidentID: String, _ rest: String = "") -> String {
        "/api/v1/incidents/\(PercentEncoding.encode(incidentID))" + (rest.isEmpty ? "" : "/" + rest)
    }

    /// Sends one action to the server and returns the events it recorded for it, read back from the log.
    func performRemotely(_ command: IncidentCommand, on incidentID: String, occurredAt: Instant?, through remote: RemoteEventStore) throws(UserError) -> [RecordedEvent] {
        guard let (path, body) = Self.route(of: command) else {
            let what = switch command {
            case .startCall, .settleCall: "a call step's child"
            case .reloadRoster: "runbook roster reload"
            case .advanceDrillClock: "a drill's clock"
            default: "this action"
            }
            throw UserError(.usage, Message.server(.notThroughServer(what)))
        }
        var members = body
        if let occurredAt { members.append(("occurred_at", .string(occurredAt.iso8601))) }
        let answer = try remote.json("POST", Self.incidentPath(incidentID, path), body: .object(members))
        return try recorded(answer, on: incidentID)
    }

    /// The events an answer of the server says it recorded, read from the answer itself: what was recorded is said
    /// even when the server cannot be asked again (it stopped, the token was revoked meanwhile).
    func recorded(_ answer: JSONValue, on incidentID: String) throws(UserError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        for item in answer["recorded"]?.array ?? [] {
            guard let sequence = item["sequence"]?.int, let at = item["recorded_at"]?.string.flatMap(Instant.init(iso8601:)),
                  let actor = item["actor"]?.string, let type = item["type"]?.string, let data = item["data"],
                  let event = try? IncidentEvent.decode(EventRecord(incidentID: incidentID, sequence: sequence, recordedAt: at, actor: actor,
                                                                   type: type, data: data.text, previousHash: "",
                                                                   hash: item["hash"]?.string ?? "")) else {
                throw UserError(.failed, Message.server(.badAnswer(server: remote?.server ?? "the server", detail: "an unreadable recorded event")))
            }
            events.append(event)
        }
        return events
    }

    /// Opens an incident on the server and returns it as the server recorded it.
    func startRemotely(runbookID: String, title: String?, severity: String?, drill: Bool, through remote: RemoteEventStore,
                       unsupported: Bool) throws(UserError) -> IncidentSnapshot {
        guard !unsupported else { throw UserError(.usage, Message.server(.notThroughServer("start --drill-speed/--live/--impact-started-at/--detected-at"))) }
        let answer = try remote.json("POST", "/api/v1/incidents", body: .object([
            ("runbook", .string(runbookID)), ("title", .optional(title)), ("severity", .optional(severity)), ("drill", .bool(drill)),
        ]))
        guard let id = answer["incident"]?["id"]?.string else {
            throw UserError(.failed, Message.server(.badAnswer(server: remote.server, detail: "a new incident without its id")))
        }
        return try snapshot(id)
    }

    /// Runs a command step on the server's host (SPEC §10: as the server's user), and returns the run as recorded.
    func runRemotely(_ stepID: String, on incidentID: String, confirmed: Bool, killStale: Bool, through remote: RemoteEventStore)
        throws(UserError) -> (outcome: CommandOutcome, verdict: CommandVerdict, events: [RecordedEvent]) {
        var body: [(String, JSONValue)] = [("kill_stale", .bool(killStale))]
        if confirmed { body.append(("confirm", .string(stepID))) }
        let stepPath = Self.incidentPath(incidentID, "steps/\(PercentEncoding.encode(stepID))")
        // Ctrl-C (or SIGTERM, a closed terminal) while the command runs on the server interrupts it there, as it would
        // here: the command is never left running behind the responder's back. The run's answer then says how it ended.
        let interrupts = InterruptSignals.begin()
        defer { interrupts.end() }
        var interrupted = false
        let answer = try remote.json("POST", stepPath + "/run", body: .object(body)) {
            guard !interrupted, interrupts.received != nil else { return }
            interrupted = true
            _ = try? remote.transport.send("POST", stepPath + "/interrupt", body: nil)
        }
        let events = try recorded(answer, on: incidentID)
        let finished = events.lazy.compactMap { event -> CommandOutcome? in
            if case .commandFinished(_, stepID, let outcome) = event.event { return outcome }
            return nil
        }.first
        guard let finished else {
            throw UserError(.failed, Message.server(.badAnswer(server: remote.server, detail: "a run without its recorded end")))
        }
        return (finished, try runbook(of: incidentID).verdict(of: finished, step: stepID), events)
    }

    /// Interrupts a command step's run in progress on this host, for a command line working through the server whose
    /// responder pressed Ctrl-C: SIGINT to the run's process group, then SIGTERM and SIGKILL after `grace` (each
    /// signal only while the recorded pid still has its recorded start time). The run records its own end; the
    /// interruption is noted in the log with who asked for it. False when no run of the step is in progress.
    nonisolated(nonsending) public func interruptRun(_ stepID: String, on incidentID: String, actor: String,
                                                      grace: Duration = .seconds(2)) async throws(UserError) -> Bool {
        guard let progress = try snapshot(incidentID).state.steps[stepID], progress.status == .running, let pid = progress.pid else {
            return false
        }
        let process = ProcessIdentity(pid: pid, startTime: progress.pidStartTime)
        guard process.mayBeSignalled else { return false }
        try perform(.note(Message.server(.runInterrupted(step: stepID, pid: pid)).text(in: .english)), on: incidentID, actor: actor)
        _ = await ProcessGroup.interrupt(process, grace: grace)
        return true
    }

    /// Starts a call step's child incident on the server.
    func startCallRemotely(_ stepID: String, on incidentID: String, through remote: RemoteEventStore)
        throws(UserError) -> (child: IncidentSnapshot, events: [RecordedEvent]) {
        let answer = try remote.json("POST", Self.incidentPath(incidentID, "steps/\(PercentEncoding.encode(stepID))/run"),
                                     body: .object([]))
        guard let child = answer["child"]?.string else {
            throw UserError(.failed, Message.server(.badAnswer(server: remote.server, detail: "a call step without its child incident")))
        }
        return (try snapshot(child), try recorded(answer, on: incidentID))
    }

    /// The server's log as `RemoteEventStore` reads it: one incident's row, runbook text, records after `sequence`,
    /// the roster and contacts texts frozen into it, and the store's facts that verifying it reads.
    public func storedLogJSON(_ incidentID: String, after sequence: Int64) throws(UserError) -> JSONValue {
        do throws(StoreError) {
            guard let row = try store.incident(incidentID), let runbook = try store.runbook(of: incidentID) else {
                throw StoreError.unknownIncident(incidentID)
            }
            let records = try store.events(of: incidentID, after: max(0, sequence))
            var texts: [(String, JSONValue)] = []
            var seen: Set<String> = []
            for record in records where record.type == "roster.frozen" {
                guard case .rosterFrozen(let freeze)? = try? IncidentEvent.decode(record).event else { continue }
                for key in [freeze.rosterSHA256, freeze.contactsSHA256] where seen.insert(key).inserted {
                    if let text = try store.frozenText(sha256: key) { texts.append((key, .string(text))) }
                }
            }
            return .object([
                ("row", StoreJSON.summary(row)), ("runbook", StoreJSON.runbook(runbook)),
                ("records", .array(records.map(StoreJSON.record))), ("texts", .object(texts)),
                ("facts", StoreJSON.facts(try store.integrityFacts(wholeStore: false), incidentID: incidentID)),
            ])
        } catch {
            if case .unknownIncident = error { throw unknownIncident(incidentID) }
            throw Self.userError(error, database: nil)
        }
    }

    /// The runbook files of the folder in use, each name (`security-incident.yaml`) with its exact text: what a command
    /// line working through this server lists and shows. A file that cannot be read is left out.
    public func runbookTextsJSON() throws(UserError) -> JSONValue {
        .array(try library.files().compactMap { file in
            guard let text = try? FileIO.read(file) else { return nil }
            return .object([("file", .string(FileIO.baseName(file) + ".yaml")), ("text", .string(text))])
        })
    }

    /// The monthly review's rows as stored (`RemoteEventStore.reviewRows`): incidents opened at or after `since`.
    public func storedReviewJSON(since: Instant?, runbook: String?) throws(UserError) -> JSONValue {
        do throws(StoreError) {
            return .array(try store.reviewRows(openedSince: since, runbookID: runbook).map(StoreJSON.reviewRow))
        } catch {
            throw Self.userError(error, database: nil)
        }
    }

    /// The incident rows as stored (`RemoteEventStore.incidents`): the open and resolved ones, or with `all` every one.
    public func storedRowsJSON(all: Bool) throws(UserError) -> JSONValue {
        do throws(StoreError) {
            return .array(try store.incidents(statuses: all ? nil : ["open", "resolved"]).map(StoreJSON.summary))
        } catch {
            throw Self.userError(error, database: nil)
        }
    }
}
