import RunbookCore
@testable import RunbookRuntime
import Testing

/// Webhooks posted with the real curl to a real HTTP server on 127.0.0.1.
@Suite struct NotificationWebhookChannelTests {
    let notifier = Notifier(runner: CommandRunner(killGrace: .milliseconds(100)))

    @Test func successPostsSlackCompatibleJSON() async throws {
        let server = try LocalHTTPServer(status: 200)
        var message = NotificationFixtures.message
        message.drill = true

        let result = await notifier.deliver(
            message, via: .webhook(url: server.url("/hooks/runbook?token=s3cret"), timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: true, detail: "HTTP 200", error: nil))
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.target == "/hooks/runbook?token=s3cret")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["expect"] == nil)
        let body = try JSONValue(parsing: request.body)
        #expect(body == .object([
            ("text", .string(message.text)),
            ("incident", "INC-20261126-0001"),
            ("title", "고객 데이터 유출 의심 (suspected customer data leak)"),
            ("runbook", "security-incident"),
            ("severity", "SEV1"),
            ("stage", "격리 (Isolate)"),
            ("role", "manager"),
            ("tier", 2),
            ("round", 1),
            ("reason", "stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m"),
            ("drill", true),
            ("acknowledge", "runbook ack INC-20261126-0001"),
        ]))
        #expect(body["text"]?.string?.hasPrefix("[DRILL] [SEV1] INC-20261126-0001 tier 2: ") == true)
    }

    @Test func hugeFieldsAreCutToFitTheRequest() async throws {
        let server = try LocalHTTPServer(status: 204)
        var message = NotificationFixtures.message
        message.title = String(repeating: "긴 제목\n(a long title) ", count: 20_000)

        let result = await notifier.deliver(message, via: .webhook(url: server.url("/hook"), timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: true, detail: "HTTP 204", error: nil))
        let body = try JSONValue(parsing: try #require(server.requests.first).body)
        let title = try #require(body["title"]?.string)
        #expect(title.utf8.count <= 4_096 && title.hasSuffix("…"))
    }

    @Test func serverErrorIsAFailedResult() async throws {
        let server = try LocalHTTPServer(status: 500)

        let result = await notifier.deliver(
            NotificationFixtures.message, via: .webhook(url: server.url("/hook"), timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: false, detail: "HTTP 500", error: "HTTP 500"))
        #expect(server.requests.count == 1)
    }

    @Test func redirectIsNotFollowed() async throws {
        let server = try LocalHTTPServer(status: 301)

        let result = await notifier.deliver(
            NotificationFixtures.message, via: .webhook(url: server.url("/hook"), timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: false, detail: "HTTP 301",
                                         error: "HTTP 301: redirects are not followed; use the final URL"))
    }

    @Test func connectionRefused() async throws {
        let closed = try RefusingPort()

        let result = await notifier.deliver(
            NotificationFixtures.message,
            via: .webhook(url: "http://127.0.0.1:\(closed.port)/hook", timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: false, detail: "curl exit 7", error: "connection refused"))
    }

    @Test func slowServerTimesOut() async throws {
        let server = try LocalHTTPServer(status: 200, delay: .seconds(30))
        let clock = ContinuousClock()
        let start = clock.now

        let result = await notifier.deliver(
            NotificationFixtures.message, via: .webhook(url: server.url("/slow"), timeout: .seconds(1)))

        #expect(result == DeliveryResult(succeeded: false, detail: "curl exit 28", error: "timed out after 1s"))
        #expect(start.duration(to: clock.now) < .seconds(10), "the 1 s timeout, not the server's 30 s delay")
    }

    @Test func missingCurlSaysHowToInstallIt() async {
        let notifier = Notifier(runner: CommandRunner(), curl: "/nonexistent/curl") { _ in true }

        let result = await notifier.deliver(
            NotificationFixtures.message, via: .webhook(url: "http://127.0.0.1:9/hook", timeout: .seconds(1)))

        #expect(result == DeliveryResult(
            succeeded: false, detail: "curl exit 127",
            error: "curl is not installed; install it (apt-get install curl) to use webhook channels"))
    }

    @Test func otherSchemesAreRefusedByCurl() async {
        let result = await notifier.deliver(
            NotificationFixtures.message, via: .webhook(url: "file:///etc/passwd", timeout: .seconds(1)))

        #expect(result == DeliveryResult(succeeded: false, detail: "curl exit 1",
                                         error: #"curl exit 1: Protocol "file" not supported or disabled in libcurl"#))
    }
}
