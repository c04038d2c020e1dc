import Foundation
import HTTPTypes
import RunbookCore
@testable import RunbookServer
import Testing

/// The OpenAPI document against the live server: it parses, and every path and method it lists answers with a status
/// (and a content type) the document gives for it. The property-based check of the schemas is `Tests/API/check_openapi.sh`
/// (schemathesis), run by `make test`.
@Suite struct OpenAPITests {
    @Test func theDocumentParsesAndIsServedAsIs() async throws {
        let document = try JSONValue(parsing: OpenAPI.text)
        #expect(document["openapi"]?.string == "3.1.0")
        let paths = try #require(document["paths"]?.members)
        #expect(paths.count >= 18)
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let served = try await client.get("/api/v1/openapi.json")
            #expect(served.status == 200)
            #expect(served.headers[.contentType] == "application/json")
            #expect(served.json == document)
        }
    }

    @Test func everyListedOperationAnswersWithADocumentedStatus() async throws {
        let document = try JSONValue(parsing: OpenAPI.text)
        let paths = try #require(document["paths"]?.members)
        let fixture = try ServerFixture()
        try await fixture.live { client in
            let incident = try await client.start("gated-restore")
            var checked = 0
            for (template, item) in paths {
                let pathParameters = item["parameters"]?.array ?? []
                for (method, operation) in item.members ?? [] where ["get", "post"].contains(method) {
                    // An event stream never ends: WebTests read those.
                    if operation["responses"]?["200"]?["content"]?["text/event-stream"] != nil { continue }
                    let parameters = pathParameters + (operation["parameters"]?.array ?? [])
                    for path in try Self.paths(template, parameters: parameters, document: document, incident: incident) {
                        let reply = method == "get" ? try await client.get(path) : try await client.post(path, "{}")
                        let responses = try Self.resolve(try #require(operation["responses"]), in: document)
                        let documented = try #require(responses.members).map(\.0)
                        #expect(documented.contains(String(reply.status)),
                                "\(method.uppercased()) \(path) answered \(reply.status), documented: \(documented); \(reply.text)")
                        if let response = responses[String(reply.status)] {
                            let types = try Self.resolve(response, in: document)["content"]?.members?.map(\.0) ?? []
                            let type = reply.headers[.contentType]?.split(separator: ";").first.map(String.init) ?? ""
                            #expect(types.isEmpty || types.contains(type), "\(method.uppercased()) \(path): \(type) is not among \(types)")
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked >= 24)
        }
    }

    /// The concrete paths to try for a templated one: the incident opened, a step of its runbook, and each value of an
    /// enumerated parameter.
    static func paths(_ template: String, parameters: [JSONValue], document: JSONValue, incident: String) throws -> [String] {
        var results = [template.replacingOccurrences(of: "{incident}", with: incident).replacingOccurrences(of: "{step}", with: "approve-reset")]
        for parameter in parameters {
            let resolved = try resolve(parameter, in: document)
            guard resolved["in"]?.string == "path", let name = resolved["name"]?.string, let values = resolved["schema"]?["enum"]?.array else { continue }
            results = results.flatMap { path in values.compactMap(\.string).map { path.replacingOccurrences(of: "{\(name)}", with: $0) } }
        }
        return results
    }

    /// Follows a local `$ref` (`#/components/...`).
    static func resolve(_ value: JSONValue, in document: JSONValue) throws -> JSONValue {
        guard let reference = value["$ref"]?.string else { return value }
        guard reference.hasPrefix("#/") else { throw FixtureError("not a local reference: \(reference)") }
        var current = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = current[String(part)] else { throw FixtureError("dangling reference: \(reference)") }
            current = next
        }
        return try resolve(current, in: document)
    }
}
