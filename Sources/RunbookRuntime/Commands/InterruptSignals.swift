#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGINT, SIGTERM and SIGHUP caught while a command step runs, so `runbook` can pass them on to the
/// command's process group and record the run as interrupted instead of dying and leaving it behind.
///
/// The handlers (`sigaction`) only write the signal's number to a pipe, which is all a handler may safely
/// do; one thread of this process, started on first use, reads the pipe and hands each signal to the current
/// catcher's `signals` stream. No Dispatch, no Foundation. One catcher at a time per process: `begin()` while
/// another is active takes over from it.
public final class InterruptSignals: Sendable {
    /// The signals caught: Ctrl-C, `kill`, a closed terminal.
    public static let caught: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Each caught signal, in order of arrival, until `end()`.
    let signals: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private let firstReceived = Mutex<Int32?>(nil)

    private init() {
        (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
    }

    /// The first signal caught, if any.
    public var received: Int32? { firstReceived.withLock { $0 } }

    /// Starts catching SIGINT, SIGTERM and SIGHUP; they no longer end the process until `end()`.
    public static func begin() -> InterruptSignals {
        let catcher = InterruptSignals()
        SignalRelay.begin(catcher)
        return catcher
    }

    /// Stops catching: the signals get their earlier handling back.
    public func end() {
        SignalRelay.end(self)
        continuation.finish()
    }

    fileprivate func deliver(_ number: Int32) {
        firstReceived.withLock { first in
            if first == nil { first = number }
        }
        continuation.yield(number)
    }
}

/// A pipe for signal handlers: both ends close on exec and never block.
enum SignalPipe {
    static func make() -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return (-1, -1) }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        return (ends[0], ends[1])
    }
}

/// The process-wide part: the handlers, their pipe, the reading thread and the current catcher.
private enum SignalRelay {
    static let pipe: (read: Int32, write: Int32) = SignalPipe.make()

    struct State: ~Copyable {
        var catcher: InterruptSignals?
        /// The handling each caught signal had before the first `begin`, restored by `end`.
        var previous: [Int32: sigaction] = [:]
        var readerStarted = false
    }

    static let state = Mutex(State())

    static func begin(_ catcher: InterruptSignals) {
        _ = pipe
        state.withLock { state in
            state.catcher = catcher
            if !state.readerStarted {
                state.readerStarted = startReader()
            }
            guard state.previous.isEmpty else { return }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalRelay.pipe.write, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            for number in InterruptSignals.caught {
                var old = sigaction()
                sigaction(number, &action, &old)
                state.previous[number] = old
            }
        }
    }

    static func end(_ catcher: InterruptSignals) {
        state.withLock { state in
            guard state.catcher === catcher else { return }
            state.catcher = nil
            for (number, old) in state.previous {
                var old = old
                sigaction(number, &old, nil)
            }
            state.previous = [:]
        }
    }

    /// Hands a signal read from the pipe to the catcher; with none (it arrived as catching ended), the signal
    /// is sent again, to be handled as it would have been without runbook catching it.
    static func dispatch(_ number: Int32) {
        let catcher = state.withLock { $0.catcher }
        if let catcher {
            catcher.deliver(number)
        } else {
            kill(getpid(), number)
        }
    }

    /// Starts the thread that reads the pipe for the rest of the process's life.
    private static func startReader() -> Bool {
        guard pipe.read >= 0 else { return false }
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { _ in
            var descriptor = pollfd(fd: SignalRelay.pipe.read, events: Int16(POLLIN), revents: 0)
            while true {
                _ = poll(&descriptor, 1, -1)
                var byte: UInt8 = 0
                while read(SignalRelay.pipe.read, &byte, 1) == 1 {
                    SignalRelay.dispatch(Int32(byte))
                }
            }
        }, nil)
        guard started == 0 else { return false }
        pthread_detach(thread)
        return true
    }
}
