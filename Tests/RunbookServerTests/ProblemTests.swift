import Hummingbird
import RunbookCore
import RunbookRuntime
@testable import RunbookServer
import Testing

/// How a failure of the service becomes an HTTP status: a database server out of reach is the server's trouble and
/// passes (503), never a refusal of the caller's action (409).
@Suite struct ProblemTests {
    @Test func anUnreachableDatabaseIs503AndOtherFailuresKeepTheirStatus() {
        let unreachable = Problem.from(IncidentService.userError(.unavailable("cannot connect to PostgreSQL at postgres://db/x: refused"), database: nil))
        #expect(unreachable.status == .serviceUnavailable)
        #expect(Problem.from(IncidentService.userError(.failure("disk full"), database: nil)).status == .conflict)
        #expect(Problem.from(IncidentService.userError(.unknownIncident("INC-1"), database: nil)).status == .notFound)
    }
}
