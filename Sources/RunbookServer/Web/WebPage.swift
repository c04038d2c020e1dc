import Crypto
import HTTPTypes
import Hummingbird
import RunbookCore
import RunbookRuntime

/// The frame every page of the web front end shares: its one style sheet and one script (both inline, allowed by
/// their SHA-256 in the Content-Security-Policy, computed once at start-up), the header with the person signed in,
/// and the security headers. Every user text that reaches a page goes through `h(_:)`.
enum WebPage {
    /// HTML-escapes `text` (notes, titles, names, command output): `<script>` shows as text and control characters
    /// (`\e[31m`) as visible escapes, by the post-mortem's own escaping.
    static func h(_ text: String) -> String { PostmortemHTML.escape(text) }

    static let styleHash = cspHash(WebAssets.style)
    static let scriptHash = cspHash(WebAssets.script)

    /// The policy of the pages this server renders: nothing but their own inline style and script, requests to
    /// this origin only, forms posting here only, never framed.
    static let policy = "default-src 'none'; script-src '\(scriptHash)'; style-src '\(styleHash)'; connect-src 'self'; "
        + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// `'sha256-…'`: the CSP source of an inline block, the base64 of the SHA-256 of its exact text.
    static func cspHash(_ text: String) -> String {
        "sha256-" + base64(Array(SHA256.hash(data: Array(text.utf8))))
    }

    /// The policy for a page rendered elsewhere (the post-mortem, the monthly review): no script at all, and only the
    /// inline style blocks it carries.
    static func policy(forDocument html: String) -> String {
        var hashes: [String] = []
        var rest = Substring(html)
        while let open = rest.firstRange(of: "<style>"), let close = rest[open.upperBound...].firstRange(of: "</style>") {
            hashes.append("'" + cspHash(String(rest[open.upperBound..<close.lowerBound])) + "'")
            rest = rest[close.upperBound...]
        }
        let styles = hashes.isEmpty ? "'none'" : hashes.joined(separator: " ")
        return "default-src 'none'; script-src 'none'; style-src \(styles); img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'"
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(index + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : "=")
            out.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : "=")
            index += 3
        }
        return out
    }

    /// The security headers of every HTML answer.
    static func headers(policy: String = WebPage.policy) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        headers[.cacheControl] = "no-store"
        return headers
    }

    /// A whole page: `body` inside the shared frame. `data` are attributes of `<body>` the script reads.
    static func document(title: String, language: Language, person: String?, csrf: String?, path: String,
                         data: [(String, String)] = [], body: String) -> String {
        let l = language
        let t = { (text: Message.WebText) in h(Message.web(text).text(in: l)) }
        var attributes = [("now", "0"), ("left", h(Message.countdownLeft("%s").text(in: l))),
                          ("over", h(Message.countdownOverdue("%s").text(in: l)))]
        attributes = attributes.filter { given in !data.contains { $0.0 == given.0 } } + data
        let other = l == .korean ? "en" : "ko"
        var nav = "<a href=\"/\">\(t(.incidents))</a> <a href=\"/stats\">\(t(.stats))</a> "
            + "<a href=\"\(h(path))?lang=\(other)\" hreflang=\"\(other)\">\(t(.language))</a>"
        if let person, let csrf {
            nav += " <span class=\"who\">\(h(Message.web(.signedInAs(person: person)).text(in: l)))</span>"
                + "<form method=\"post\" action=\"/logout\" class=\"inline\">\(csrfField(csrf))<button type=\"submit\">\(t(.signOut))</button></form>"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(l == .korean ? "ko" : "en")">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(title))</title>
            <style>\(WebAssets.style)</style></head>
            <body \(attributes.map { "data-\($0.0)=\"\($0.1)\"" }.joined(separator: " "))>
            <header><strong>runbook</strong> <nav>\(nav)</nav></header>
            <main>
            \(body)
            </main>
            <script>\(WebAssets.script)</script>
            </body>
            </html>

            """
    }

    static func csrfField(_ csrf: String) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(h(csrf))\">"
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = headers()
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// `303 See Other` to `location`, after a form's POST.
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}

extension HTTPField.Name {
    static let referrerPolicy = named("Referrer-Policy")
    static let lastEventID = named("Last-Event-ID")
    static let xForwardedProto = named("X-Forwarded-Proto")

    /// A field name from a literal token (these are valid by RFC 9110's grammar, so the check cannot fail).
    private static func named(_ token: StaticString) -> Self {
        guard let name = Self("\(token)") else { preconditionFailure("\(token) is not an HTTP field name") }
        return name
    }
}

/// An answer of the web front end that ends a request early: a redirect to the sign-in page or a refusal page.
struct WebStop: HTTPResponseError {
    let answer: Response
    var status: HTTPResponse.Status { answer.status }

    func response(from request: Request, context: some RequestContext) throws -> Response { answer }
}
