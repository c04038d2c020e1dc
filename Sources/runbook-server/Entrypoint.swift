import RunbookCLI
import RunbookServer

/// The team server's binary: every `runbook` command, with `serve` run in this process (the `runbook` binary
/// starts this one for `serve`, so that no networking code is linked into the local commands).
@main
struct Entrypoint {
    static func main() async {
        RunbookCommand.serveHook.withLock { $0 = { settings in try await TeamServer.serve(settings) } }
        await RunbookCommand.main()
    }
}
