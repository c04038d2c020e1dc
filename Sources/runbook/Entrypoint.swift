import RunbookCLI
import RunbookRuntime

@main
struct Entrypoint {
    static func main() async {
        // `runbook run` starts this binary again as the supervisor of a command's process group.
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == CommandSupervisor.mode {
            CommandSupervisor.main(Array(arguments.dropFirst()))
        }
        await RunbookCommand.main()
    }
}
