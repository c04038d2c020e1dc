import Hummingbird
import RunbookCore
import RunbookRuntime

/// The web page (SPEC §10): sign-in with a token into a session cookie, the incident list, the incident page with the
/// actions of guided mode, the post-mortem and the monthly review, in Korean or English, updated live by the event
/// streams. Every action is a form POST (checked against the session's CSRF token) that calls the same desk function
/// as the JSON API, then redirects back (303) with what happened or the engine's refusal.
enum WebFront {
    /// Registers the pages, their actions and the event streams; `TeamServer.application` calls this once.
    static func routes(_ router: Router<ServerContext>, desks: Desks, settings: ServeSettings) {
        let sessions = WebSessions(clock: desks.clock)
        // The feed watches the database on a connection of its own.
        let feedDesk = (try? IncidentDesk(settings: settings, clock: SystemClock())) ?? desks.reader()
        let feed = ChangeFeed(desk: feedDesk)
        EventStreams.routes(router, desks: desks, sessions: sessions, feed: feed, heartbeat: settings.streamHeartbeat)
        let front = Handlers(desks: desks, sessions: sessions)

        router.get("login") { request, _ in front.loginPage(request) }
        router.post("login") { request, _ in try await front.login(request) }
        router.post("logout") { request, _ in try await front.logout(request) }
        router.get("/") { request, _ in try await front.listPage(request) }
        router.get("live") { request, _ in try await front.listFragment(request) }
        router.get("stats") { request, _ in try await front.stats(request) }
        router.post("incidents") { request, _ in try await front.start(request) }
        router.get("incidents/:incident") { request, context in try await front.incidentPage(request, context) }
        router.get("incidents/:incident/live") { request, context in try await front.incidentFragment(request, context) }
        router.get("incidents/:incident/report") { request, context in try await front.report(request, context) }

        // The actions: each one the API's, with the same command built from the form.
        router.post("incidents/:incident/steps/:step/run") { request, context in try await front.run(request, context) }
        router.post("incidents/:incident/steps/:step/:mark") { request, context in
            try await front.act(request, context) { form, context in
                let step = try context.segment("step")
                switch try context.segment("mark") {
                case "done": return .mark(step: step, .done, note: form.text("note"))
                case "skip": return .mark(step: step, .skip, note: form.text("note"))
                case "fail": return .mark(step: step, .fail, note: form.text("note"))
                case "input": return .input(step: step, value: form["value"] ?? "")
                case "approve": return .approve(step: step)
                case "break-glass": return .overrideApproval(step: step, reason: form["reason"] ?? "")
                default: return nil
                }
            }
        }
        router.post("incidents/:incident/notes") { request, context in
            try await front.act(request, context) { form, _ in .note(form["text"] ?? "") }
        }
        router.post("incidents/:incident/ack") { request, context in try await front.act(request, context) { _, _ in .acknowledge } }
        router.post("incidents/:incident/escalate") { request, context in
            try await front.act(request, context) { form, _ in .escalate(reason: form.text("reason")) }
        }
        router.post("incidents/:incident/resolve") { request, context in
            try await front.act(request, context) { form, _ in .resolve(note: form.text("note")) }
        }
    }

    /// Who is asking, in which language, through which session.
    struct Caller: Sendable {
        let session: WebSession
        let token: AccessToken
        let language: Language
        /// `?lang=` given now: the answer sets the language cookie.
        let chosenLanguage: String?
    }

    struct Handlers: Sendable {
        let desks: Desks
        let sessions: WebSessions

        // MARK: Sessions

        func loginPage(_ request: Request, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
            let (l, chosen) = WebCookies.language(of: request)
            let t = { (text: Message.WebText) in WebPage.h(Message.web(text).text(in: l)) }
            let nonce = WebSessions.randomHex(bytes: 32)
            var body = "<h1>\(t(.signInTitle))</h1>\n"
            if let problem {
                body += "<p class=\"flash refused\" role=\"alert\" id=\"flash\">\(WebPage.h(problem))</p>\n"
            } else if request.uri.queryParameters["ended"] != nil {
                body += "<p class=\"flash refused\" id=\"flash\">\(t(.sessionEnded))</p>\n"
            }
            body += "<p>\(t(.signInPrompt))</p>\n<form method=\"post\" action=\"/login\" class=\"login\">"
                + "<input type=\"hidden\" name=\"login\" value=\"\(nonce)\">"
                + "<label>\(t(.tokenLabel)) <input type=\"password\" name=\"token\" size=\"60\" autocomplete=\"off\" required></label> "
                + "<button type=\"submit\">\(t(.signIn))</button></form>\n"
            var headers = HTTPFields()
            headers[values: .setCookie] = [WebCookies.set(WebCookies.login, nonce, request: request)] + languageCookie(chosen, request)
            return WebPage.response(WebPage.document(title: Message.web(.signInTitle).text(in: l), language: l, person: nil, csrf: nil,
                                                     path: "/login", body: body),
                                    status: status, headers: headers)
        }

        func login(_ request: Request) async throws -> Response {
            let form = try await WebForm(request)
            let (l, _) = WebCookies.language(of: request)
            // The sign-in form has no session yet: its value must match the cookie set with the form (double submit).
            guard let expected = WebCookies.value(WebCookies.login, in: request), let sent = form["login"], WebSessions.same(expected, sent) else {
                return refusedPage(request, language: l)
            }
            let token: AccessToken
            do {
                token = try await desks.reader().authenticate(String((form["token"] ?? "").trimmingWhitespace))
            } catch {
                return loginPage(request, problem: error.detail, status: .unauthorized)
            }
            let session = await sessions.create(tokenID: token.id)
            var headers = HTTPFields()
            headers[values: .setCookie] = [WebCookies.set(WebCookies.session, session.id, request: request),
                                           WebCookies.set(WebCookies.login, "", request: request, maxAge: 0)]
            return WebPage.redirect("/", headers: headers)
        }

        func logout(_ request: Request) async throws -> Response {
            let (caller, _) = try await posted(request)
            await sessions.end(caller.session.id)
            var headers = HTTPFields()
            headers[.setCookie] = WebCookies.set(WebCookies.session, "", request: request, maxAge: 0)
            return WebPage.redirect("/login", headers: headers)
        }

        /// The signed-in caller, or a redirect to the sign-in page (also when the session's token was revoked).
        func signedIn(_ request: Request) async throws -> Caller {
            let (l, chosen) = WebCookies.language(of: request)
            let suffix = chosen.map { "?lang=\($0)" } ?? ""
            guard let id = WebCookies.value(WebCookies.session, in: request), let session = await sessions.session(id) else {
                throw WebStop(answer: WebPage.redirect("/login" + suffix))
            }
            do {
                let token = try await desks.reader().liveToken(id: session.tokenID)
                return Caller(session: session, token: token, language: l, chosenLanguage: chosen)
            } catch where error.status != .unauthorized {
                // The database could not answer: the session stays; the page says what went wrong.
                throw error
            } catch {
                await sessions.end(id)
                var headers = HTTPFields()
                headers[.setCookie] = WebCookies.set(WebCookies.session, "", request: request, maxAge: 0)
                throw WebStop(answer: WebPage.redirect("/login?ended=1" + (chosen.map { "&lang=\($0)" } ?? ""), headers: headers))
            }
        }

        /// A form POST of a signed-in caller carrying the session's CSRF token; anything else is refused with 403.
        func posted(_ request: Request) async throws -> (Caller, WebForm) {
            let caller = try await signedIn(request)
            let form = try await WebForm(request)
            guard let sent = form["csrf"], WebSessions.same(sent, caller.session.csrf) else {
                throw WebStop(answer: refusedPage(request, language: caller.language))
            }
            return (caller, form)
        }

        func refusedPage(_ request: Request, language l: Language) -> Response {
            let t = { (text: Message.WebText) in WebPage.h(Message.web(text).text(in: l)) }
            let body = "<h1>\(t(.refusedTitle))</h1>\n<p class=\"flash refused\" id=\"flash\">\(t(.csrfRefused))</p>\n<p><a href=\"/\">\(t(.incidents))</a></p>"
            return WebPage.response(WebPage.document(title: Message.web(.refusedTitle).text(in: l), language: l, person: nil, csrf: nil,
                                                     path: "/", body: body),
                                    status: .forbidden)
        }

        func languageCookie(_ chosen: String?, _ request: Request) -> [String] {
            chosen.map { [WebCookies.set(WebCookies.language, $0, request: request, maxAge: 31_536_000)] } ?? []
        }

        /// A page for `caller`, with the language cookie when `?lang=` chose one.
        func page(_ html: String, _ caller: Caller, _ request: Request, status: HTTPResponse.Status = .ok,
                  policy: String = WebPage.policy) -> Response {
            var headers = WebPage.headers(policy: policy)
            headers[values: .setCookie] = languageCookie(caller.chosenLanguage, request)
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }

        /// The page for a problem met while reading (an unknown incident: 404).
        func problemPage(_ problem: Problem, _ caller: Caller, _ request: Request) -> Response {
            let l = caller.language
            let title = problem.status == .notFound ? Message.web(.notFoundTitle).text(in: l) : problem.status.reasonPhrase
            let body = "<h1>\(WebPage.h(title))</h1>\n<p class=\"flash refused\" id=\"flash\">\(WebPage.h(problem.refusal?.text(in: l) ?? problem.detail))</p>"
                + "<p><a href=\"/\">\(WebPage.h(Message.web(.incidents).text(in: l)))</a></p>"
            return page(WebPage.document(title: title, language: l, person: caller.token.person, csrf: caller.session.csrf,
                                         path: request.uri.path, body: body),
                        caller, request, status: problem.status)
        }

        // MARK: Pages

        func listPage(_ request: Request) async throws -> Response {
            let caller = try await signedIn(request)
            let (incidents, now) = try await desks.reader().openIncidents()
            let runbooks = await desks.reader().runbookChoices()
            let flash = await sessions.takeFlash(caller.session.id)
            return page(IncidentList.document(incidents, runbooks: runbooks, now: now, language: caller.language, person: caller.token.person,
                                              csrf: caller.session.csrf, flash: flash),
                        caller, request)
        }

        func listFragment(_ request: Request) async throws -> Response {
            let caller = try await signedIn(request)
            let (incidents, _) = try await desks.reader().openIncidents()
            return page(IncidentList.list(incidents, language: caller.language), caller, request)
        }

        func incidentPage(_ request: Request, _ context: ServerContext) async throws -> Response {
            let caller = try await signedIn(request)
            do {
                let incident = try await desks.reader().page(try context.segment("incident"))
                let flash = await sessions.takeFlash(caller.session.id)
                return page(IncidentPage.document(incident, language: caller.language, person: caller.token.person, csrf: caller.session.csrf,
                                                  flash: flash),
                            caller, request)
            } catch let problem as Problem {
                return problemPage(problem, caller, request)
            }
        }

        func incidentFragment(_ request: Request, _ context: ServerContext) async throws -> Response {
            let caller = try await signedIn(request)
            let incident = try await desks.reader().page(try context.segment("incident"))
            return page(IncidentPage.live(incident, language: caller.language, csrf: caller.session.csrf), caller, request)
        }

        func report(_ request: Request, _ context: ServerContext) async throws -> Response {
            let caller = try await signedIn(request)
            do {
                let html = try await desks.reader().report(try context.segment("incident"), format: .html, language: caller.language)
                return page(html, caller, request, policy: WebPage.policy(forDocument: html))
            } catch let problem as Problem {
                return problemPage(problem, caller, request)
            }
        }

        func stats(_ request: Request) async throws -> Response {
            let caller = try await signedIn(request)
            let span = request.uri.queryParameters["since"].map(String.init) ?? "30d"
            do {
                let html = try await desks.reader().statsHTML(span: span, language: caller.language)
                return page(html, caller, request, policy: WebPage.policy(forDocument: html))
            } catch {
                return problemPage(error, caller, request)
            }
        }

        // MARK: Actions

        /// The sentence for a refused action, in the reader's language where the engine's refusal is known.
        func sentence(_ error: any Error, _ l: Language) -> String {
            let problem = Problem.caught(error)
            return problem.refusal?.text(in: l) ?? problem.detail
        }

        func start(_ request: Request) async throws -> Response {
            let (caller, form) = try await posted(request)
            do {
                let started = try await desks.writer.start(runbook: form["runbook"] ?? "", title: form.text("title"), severity: form.text("severity"),
                                                           drill: form["drill"] == "yes", caller: caller.token)
                let count = started.json["recorded"]?.array?.count ?? 0
                await sessions.setFlash(Flash(refused: false, text: Message.web(.recorded(count: count)).text(in: caller.language)), for: caller.session.id)
                return WebPage.redirect("/incidents/" + PercentEncoding.encode(started.id))
            } catch {
                await sessions.setFlash(Flash(refused: true, text: sentence(error, caller.language)), for: caller.session.id)
                return WebPage.redirect("/")
            }
        }

        /// Performs the command `make` builds from the form (nil: no such action), then back to the incident.
        func act(_ request: Request, _ context: ServerContext,
                 _ make: @Sendable (WebForm, ServerContext) throws -> IncidentCommand?) async throws -> Response {
            let (caller, form) = try await posted(request)
            let incident = try context.segment("incident")
            guard let command = try make(form, context) else { throw Problem.notFound(request.uri.path) }
            let flash: Flash
            do {
                let count = try await desks.writer.act(command, on: incident, caller: caller.token, expected: nil).events.count
                flash = Flash(refused: false, text: Message.web(.recorded(count: count)).text(in: caller.language))
            } catch {
                flash = Flash(refused: true, text: sentence(error, caller.language))
            }
            await sessions.setFlash(flash, for: caller.session.id)
            return WebPage.redirect("/incidents/" + PercentEncoding.encode(incident))
        }

        /// Runs a command step (or starts a call step's child): a destructive one only when its id was typed.
        func run(_ request: Request, _ context: ServerContext) async throws -> Response {
            let (caller, form) = try await posted(request)
            let incident = try context.segment("incident")
            let step = try context.segment("step")
            let l = caller.language
            let flash: Flash
            let confirm = form["confirm"]?.trimmingWhitespace ?? ""
            if confirm.isEmpty, !(await isDestructive(step, incident)) {
                flash = Flash(refused: true, text: Message.web(.confirmMissing).text(in: l))
            } else {
                do {
                    let outcome = try await desks.writer.run(step: step, on: incident, confirmed: confirm == step, killStale: false,
                                                             caller: caller.token)
                    if let summary = outcome["run"]?["summary"]?.string {
                        flash = Flash(refused: outcome["run"]?["succeeded"]?.bool != true, text: Message.web(.ranStep(step: step, summary: summary)).text(in: l))
                    } else {
                        flash = Flash(refused: false, text: Message.web(.recorded(count: outcome["recorded"]?.array?.count ?? 0)).text(in: l))
                    }
                } catch {
                    flash = Flash(refused: true, text: sentence(error, l))
                }
            }
            await sessions.setFlash(flash, for: caller.session.id)
            return WebPage.redirect("/incidents/" + PercentEncoding.encode(incident))
        }

        /// Whether the step is a destructive command, whose confirmation is its typed id (the engine refuses without it).
        func isDestructive(_ step: String, _ incident: String) async -> Bool {
            guard let page = try? await desks.reader().page(incident) else { return false }
            return page.snapshot.runbook.states.flatMap(\.steps).first { $0.id == step }?.destructive ?? false
        }
    }
}
