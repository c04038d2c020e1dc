import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Verify the event log: hash chains, incident rows, stored runbooks, guards and checkpoints.",
            discussion: """
                Checks, for one incident or every one: the hash chain of its events; that its incident row agrees \
                with its events (a cut tail is found); that the runbook, roster and contacts texts it runs still \
                hash to their keys; that the append-only guards are in place; and, for every incident, that no id \
                the counter gave out is missing and no events hide without an incident row.

                A log rewritten whole with recomputed hashes cannot be caught from inside the file: every page, \
                every written report and this command print the incident's checkpoint (INC-…#42:0123456789abcdef). \
                Keep one outside the machine, then prove the log still holds it:
                  runbook verify INC-20261126-0001 --checkpoint INC-20261126-0001#42:0123456789abcdef

                Signed checkpoints: with RUNBOOK_SIGNING_KEY (a file outside the database holding an Ed25519 key as 64 hex \
                digits; make one with `head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > signing.key`), every checkpoint \
                that leaves the machine is signed, and verify checks signatures (RUNBOOK_VERIFY_KEY: the public key alone, \
                printed by `runbook verify --public-key`, for a machine that only checks).

                Exit status 0 when everything holds, 1 when anything was altered (with the first bad place). \
                A broken log does not stop the team: actions go on, and every view shows "log broken since #N".
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "An incident id (default: every incident).", completion: Completions.incidents)
        var incident: String?

        @Option(help: ArgumentHelp("A checkpoint taken earlier (from a page, a report or verify's output) that the log must still hold.",
                                   valueName: "checkpoint"))
        var checkpoint: [String] = []

        @Flag(help: "Print the public key of RUNBOOK_SIGNING_KEY (for RUNBOOK_VERIFY_KEY elsewhere) and exit.")
        var publicKey = false

        func validate() throws {
            for text in checkpoint where Checkpoint(parsing: text) == nil {
                throw ValidationError("--checkpoint \(text) is not a checkpoint like INC-20261126-0001#42:0123456789abcdef")
            }
        }

        func run() async throws {
            if publicKey {
                guard let key = try CheckpointKeys.fromEnvironment().signing else {
                    throw UserError(.usage, "RUNBOOK_SIGNING_KEY is not set; point it at the signing key file")
                }
                out(key.publicKeyHex)
                return
            }
            let service = try Workspace(global: global).readOnlyService(postgres: true)
            // Every incident, with the store-wide checks, is the server host's to verify; one incident is verified here.
            if service.remote != nil, self.incident == nil {
                throw UserError(.usage, Message.server(.notThroughServer("runbook verify of every incident")))
            }
            // The incident as every command takes it: the full id, today's number or an unambiguous end of the id.
            let incident = try self.incident.map { text throws(UserError) in try service.resolveIncidentID(text) }
            let checkpoints = checkpoint.compactMap(Checkpoint.init(parsing:))
            if let incident, let other = checkpoints.first(where: { $0.incidentID != incident }) {
                throw UserError(.usage, "--checkpoint \(other.text) belongs to \(other.incidentID), not \(incident)")
            }
            let facts: StoreIntegrityFacts
            let ids: [String]
            do {
                facts = try service.store.integrityFacts(wholeStore: incident == nil)
                if let incident {
                    ids = [incident]
                } else {
                    ids = (facts.incidentIDs.union(facts.eventsWithoutIncident).union(Set(checkpoints.map(\.incidentID)))).sorted()
                }
            } catch {
                throw IncidentService.userError(error, database: global.databaseName)
            }
            if let incident, !checkpoints.isEmpty, (try? service.store.incident(incident)) == nil,
               (try? service.store.events(of: incident, after: 0))?.isEmpty ?? true {
                for checkpoint in checkpoints {
                    err("\(incident): \(IntegrityProblem.checkpoint(checkpoint, reason: .incidentGone(incident)).sentence(in: .current))")
                }
                throw UserError(.failed, .verifyCheckpointIncidentGone)
            }
            var failed = 0
            var reported: Set<String> = []
            for id in ids {
                // A checkpoint kept outside proves an incident existed; one that is gone now was deleted.
                if incident == nil, !facts.incidentIDs.contains(id), !facts.eventsWithoutIncident.contains(id) {
                    failed += 1
                    for checkpoint in checkpoints where checkpoint.incidentID == id {
                        err("\(id): \(IntegrityProblem.checkpoint(checkpoint, reason: .incidentGone(id)).sentence(in: .current))")
                    }
                    continue
                }
                var verdict = try verdictOf(id, service: service, facts: facts)
                let records = (try? service.store.events(of: id, after: 0)) ?? []
                for checkpoint in checkpoints where checkpoint.incidentID == id {
                    if checkpoint.signature != nil, service.checkpointKeys.verifying == nil {
                        err(Message.verifySignatureNotChecked(incident: id, checkpoint: String(checkpoint.text.prefix(40))).text())
                    }
                    if let problem = Integrity.check(checkpoint, against: records, key: service.checkpointKeys.verifying) {
                        verdict.problems.append(problem)
                    }
                }
                if incident == nil {
                    // The guards are the whole store's: reported once, below.
                    verdict.problems.removeAll { if case .guardMissing = $0 { true } else { false } }
                }
                for case .textAltered(let key) in verdict.problems { reported.insert(key) }
                if verdict.intact {
                    let held = checkpoints.filter { $0.incidentID == id }.map { checkpoint in
                        Message.verifyHeld("#\(checkpoint.sequence):\(checkpoint.hashPrefix)",
                                           signatureValid: checkpoint.signature != nil && service.checkpointKeys.verifying != nil).text()
                    }.joined()
                    out(Message.verifyIntact(incident: id, events: verdict.events, held: held, checkpoint: verdict.checkpoint?.text ?? "-").text())
                } else {
                    failed += 1
                    for problem in verdict.problems { err("\(id): \(problem.sentence(in: .current))") }
                }
            }
            var storeProblems: [IntegrityProblem] = []
            if incident == nil {
                storeProblems = Integrity.storeProblems(facts).filter { problem in
                    switch problem {
                    case .eventsWithoutIncident: false  // reported with the incident above
                    case .textAltered(let key): !reported.contains(key)
                    default: true
                    }
                }
                for problem in storeProblems { err("\(global.databaseName): \(problem.sentence(in: .current))") }
            }
            if ids.isEmpty { out(Message.noIncidents(database: global.databaseName).text()) }
            if failed > 0 || !storeProblems.isEmpty {
                throw UserError(.failed, .verifyFailed(failed: failed, of: ids.count, storeAltered: !storeProblems.isEmpty))
            }
        }

        /// The verdict on one incident; a log that cannot be folded at all is verified from its raw records.
        func verdictOf(_ id: String, service: IncidentService, facts: StoreIntegrityFacts) throws(UserError) -> IntegrityVerdict {
            let snapshot: IncidentSnapshot
            do {
                snapshot = try service.snapshot(id)
            } catch {
                // Events without an incident row, or a log that cannot be folded: verified from the raw records.
                guard error.kind == .data || facts.eventsWithoutIncident.contains(id) else { throw error }
                return try service.integrity(ofUnreadable: id, facts: facts)
            }
            return try service.integrity(of: snapshot, facts: facts)
        }
    }
}
