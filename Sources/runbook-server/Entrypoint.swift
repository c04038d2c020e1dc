import RunbookCLI
import RunbookRemote
import RunbookServer

/// The team server's binary: every `runbook` command, with `serve` run in this process, and the HTTP client of a
/// command line working through a server (the `runbook` binary starts this one for both, so that no networking code
/// is linked into the local commands).
@main
struct Entrypoint {
    static func main() async {
        RunbookCommand.serveHook.withLock { $0 = { settings in try await TeamServer.serve(settings) } }
        RunbookCommand.remoteHook.withLock { $0 = { address in HTTPTransport(address) } }
        await RunbookCommand.main()
    }
}
