public import RunbookCore

extension IncidentService {
    /// The verdict on an incident's log: the one verification behind `verify`, the report and the views.
    ///
    /// `facts` are the store's facts when the caller gathered them already (`verify` of every incident);
    /// otherwise the cheap ones are read (stored texts re-hashed, the append-only guards).
    public func integrity(of given: IncidentSnapshot, facts givenFacts: StoreIntegrityFacts? = nil) throws(UserError) -> IntegrityVerdict {
        let facts: StoreIntegrityFacts
        var row: IncidentSummary?
        var snapshot = given
        do throws(StoreError) {
            if let givenFacts { facts = givenFacts } else { facts = try store.integrityFacts(wholeStore: false) }
            row = try store.incident(snapshot.state.id)
        } catch {
            throw Self.userError(error, database: nil)
        }
        // Someone appended between reading the log and reading its row (a watcher, a colleague): read the log again
        // rather than call its new tail missing. A tail that was really cut is still missing on the second look.
        for _ in 0..<2 {
            guard let current = row, current.lastSequence > snapshot.lastStoredSequence else { break }
            snapshot = try self.snapshot(snapshot.state.id)
            do throws(StoreError) {
                row = try store.incident(snapshot.state.id)
            } catch {
                throw Self.userError(error, database: nil)
            }
        }
        var verdict = Integrity.verify(incidentID: snapshot.state.id, records: snapshot.records, row: row,
                                       // The row is a projection of what is stored, not of what a view folded in as due since.
                                       folded: projection(snapshot.recordedState ?? snapshot.state, snapshot.runbook,
                                                          contacts: snapshot.team.contacts),
                                       openedRunbookSHA256: snapshot.state.runbookSHA256,
                                       storedRunbookSHA256: snapshot.runbookSnapshot.sha256, texts: Self.texts(of: snapshot), store: facts)
        for error in snapshot.unreadable where !verdict.problems.contains(where: { $0.sequence == error.sequence }) {
            verdict.problems.append(IntegrityProblem.chain(sequence: error.sequence, reason: .unreadable(error.message)))
        }
        verdict.problems.sort { ($0.sequence ?? .max) < ($1.sequence ?? .max) }
        // With a signing key the checkpoint that leaves the machine (page, report, verify) is signed.
        if let key = checkpointKeys.signing, let checkpoint = verdict.checkpoint, let last = snapshot.records.last {
            verdict.checkpoint = key.sign(checkpoint, fullHash: last.hash)
        }
        // Checkpoints the log recorded with its reports are checked against the key: a forged one is found.
        if let key = checkpointKeys.verifying {
            for event in snapshot.events {
                guard case .reportWritten(_, _, _, _, let text?) = event.event, let recorded = Checkpoint(parsing: text),
                      recorded.signature != nil,
                      let problem = Integrity.check(recorded, against: snapshot.records, key: key) else { continue }
                verdict.problems.append(problem)
            }
        }
        return verdict
    }

    /// The keys of the stored texts an incident runs on: its runbook and every roster and contacts frozen into it.
    static func texts(of snapshot: IncidentSnapshot) -> Set<String> {
        var keys: Set<String> = [snapshot.runbookSnapshot.sha256, snapshot.state.runbookSHA256]
        for event in snapshot.events {
            if case .rosterFrozen(let freeze) = event.event {
                keys.insert(freeze.rosterSHA256)
                keys.insert(freeze.contactsSHA256)
            }
        }
        return keys
    }

    /// The verdict on an incident whose log cannot be folded at all (no readable opening event, a runbook text
    /// that no longer loads): the chain and the rows, from the raw records.
    public func integrity(ofUnreadable incidentID: String, facts given: StoreIntegrityFacts? = nil) throws(UserError) -> IntegrityVerdict {
        do {
            let facts: StoreIntegrityFacts
            if let given { facts = given } else { facts = try store.integrityFacts(wholeStore: false) }
            let records = try store.events(of: incidentID, after: 0)
            let row = try store.incident(incidentID)
            guard row != nil || !records.isEmpty else { throw unknownIncident(incidentID) }
            var verdict = Integrity.verify(incidentID: incidentID, records: records, row: row, folded: nil, openedRunbookSHA256: nil,
                                           storedRunbookSHA256: nil, store: facts)
            if row != nil, try store.runbook(of: incidentID) == nil {
                verdict.problems.append(.runbookMissing(incidentID))
            }
            if verdict.intact {
                verdict.problems.append(.chain(sequence: 1, reason: .notReplayable))
            }
            return verdict
        } catch let error as UserError {
            throw error
        } catch let error as StoreError {
            throw Self.userError(error, database: nil)
        } catch {
            throw UserError(.failed, "\(error)")
        }
    }
}
