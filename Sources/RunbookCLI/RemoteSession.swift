public import RunbookRuntime
public import Synchronization
import RunbookCore

/// The command line's connection to a team server, made once per process: the HTTP client (from the server binary,
/// `RunbookCommand.remoteHook`) and who the token speaks for.
struct RemoteSession: Sendable {
    let transport: any ServerTransport
    /// The roster person the token acts as.
    let person: String
    /// The login the server records (`token:ID`) and who issued the token: the identity the gates decide on.
    let identity: RequestIdentity

    private static let current = Mutex<(ServerAddress, RemoteSession)?>(nil)

    /// The session with the server at `address`, asking it who the token is on first use. In the `runbook` binary,
    /// which has no HTTP client, this process is replaced by `runbook-server` with the same arguments.
    static func open(_ address: ServerAddress) throws(UserError) -> RemoteSession {
        if let (opened, session) = current.withLock({ $0 }), opened == address { return session }
        guard let connect = RunbookCommand.remoteHook.withLock({ $0 }) else {
            try RunbookCommand.execServerBinary(purpose: "working through RUNBOOK_SERVER")
            throw UserError(.failed, "runbook-server did not start")
        }
        let transport = try connect(address)
        let whoami = try ServerAnswer.json(transport.send("GET", "/api/v1/whoami", body: nil), server: address.base)
        guard let token = whoami["token"]?.string, let person = whoami["person"]?.string else {
            throw UserError(.failed, Message.server(.badAnswer(server: address.base, detail: "whoami without the token's person")))
        }
        let session = RemoteSession(transport: transport, person: person,
                                    identity: RequestIdentity(login: Identity.tokenLogin(token), tokenIssuer: whoami["created_by"]?.string))
        current.withLock { $0 = (address, session) }
        return session
    }
}

extension RunbookCommand {
    /// The HTTP client for working through a team server, set by the `runbook-server` binary; nil in `runbook`, which
    /// starts that binary instead when a server is named, so that no networking code is linked into the local commands.
    public static let remoteHook = Mutex<(@Sendable (ServerAddress) throws(UserError) -> any ServerTransport)?>(nil)
}
