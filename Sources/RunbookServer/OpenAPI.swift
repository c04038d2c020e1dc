/// The API's OpenAPI 3.1 document, served at /api/v1/openapi.json; the test suite checks the running server
/// against it (schemathesis) and every route against its paths.
enum OpenAPI {
    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "runbook team server",
        "version": "1",
        "description": "Every action and view of the runbook command line. Every request carries `Authorization: Bearer TOKEN` (made with `runbook token create NAME`); the token's person acts, and the incident's frozen roster decides what they may do. Errors are RFC 9457 problem bodies; a refusal by the engine is 409 with the sentence the command line prints."
      },
      "servers": [{"url": "/"}],
      "security": [{"bearer": []}],
      "paths": {
        "/healthz": {
          "get": {"operationId": "health", "summary": "Whether the process answers (no token).", "security": [],
                  "responses": {"200": {"description": "It answers.", "content": {"text/plain": {"schema": {"type": "string"}}}}}}
        },
        "/readyz": {
          "get": {"operationId": "ready", "summary": "Whether the database answers with its schema complete, and whether a watcher runs (no token).", "security": [],
                  "responses": {"200": {"description": "Ready.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}},
                                "503": {"description": "Not ready: the database cannot be read, was moved, or lacks migrations.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}
        },
        "/metrics": {
          "get": {"operationId": "metrics", "summary": "Prometheus text format: open incidents, overdue stages, pages, time to acknowledge and resolve, watcher lag.",
                  "responses": {"200": {"description": "The metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"},
                                "503": {"description": "The database cannot be read.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}
        },
        "/api/v1/whoami": {
          "get": {"operationId": "whoami", "summary": "The token's id and person.",
                  "responses": {"200": {"description": "The caller.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Caller"}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}}
        },
        "/api/v1/runbooks": {
          "get": {"operationId": "listRunbooks", "summary": "The runbooks of the server's folder (runbook list --json).",
                  "responses": {"200": {"description": "Runbooks.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Runbook"}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}}
        },
        "/api/v1/stats": {
          "get": {"operationId": "stats", "summary": "The review of runbook stats --format json.",
                  "parameters": [{"name": "since", "in": "query", "schema": {"type": "string", "pattern": "^([0-9]+[dhms])+$", "maxLength": 12}, "description": "A duration like 30d (default)."},
                                 {"name": "runbook", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The review.", "content": {"application/json": {"schema": {"type": "object"}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"},
                                "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents": {
          "get": {"operationId": "listIncidents", "summary": "The open and resolved incidents (all=true: every incident).",
                  "parameters": [{"name": "all", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}}],
                  "responses": {"200": {"description": "Incidents.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/IncidentSummary"}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}},
          "post": {"operationId": "startIncident", "summary": "Open an incident from a runbook (runbook start).",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["runbook"],
                     "properties": {"runbook": {"type": "string"}, "title": {"type": "string"}, "severity": {"type": "string"}, "drill": {"type": "boolean"}}}}}},
                   "responses": {"201": {"description": "Opened.", "headers": {"Location": {"schema": {"type": "string"}}},
                                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"},
                                 "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "409": {"$ref": "#/components/responses/Refused"},
                                 "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}],
          "get": {"operationId": "viewIncident", "summary": "One incident (runbook status INC --json); its ETag is the sequence of its last event.",
                  "responses": {"200": {"description": "The incident.", "headers": {"ETag": {"schema": {"type": "string"}}},
                                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Incident"}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"},
                                "404": {"$ref": "#/components/responses/NotFound"},
                                "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/log/review": {
          "get": {"operationId": "storedReview", "summary": "The monthly review's rows as stored (incidents opened since `since_ms`, of `runbook` when given), for runbook stats working through this server.",
                  "parameters": [{"name": "since_ms", "in": "query", "schema": {"type": "integer", "minimum": 0}}, {"name": "runbook", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "Rows.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}}
        },
        "/api/v1/log/runbooks": {
          "get": {"operationId": "runbookTexts", "summary": "Each runbook file of the server's folder with its exact text, for a command line working through this server (runbook list, runbook show).",
                  "responses": {"200": {"description": "Runbook files.", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["file", "text"], "properties": {"file": {"type": "string"}, "text": {"type": "string"}}}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}}
        },
        "/api/v1/log/incidents": {
          "get": {"operationId": "storedRows", "summary": "The incident rows exactly as stored, for a command line working through this server (all=true: every incident).",
                  "parameters": [{"name": "all", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}}],
                  "responses": {"200": {"description": "Rows.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/StoredRow"}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}}
        },
        "/api/v1/log/incidents/{incident}": {
          "parameters": [{"name": "incident", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The exact incident id."}],
          "get": {"operationId": "storedLog", "summary": "One incident's log exactly as stored (its row, runbook text, hash-chained records after `after`, frozen roster and contacts texts): the command line folds and verifies it itself.",
                  "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
                  "responses": {"200": {"description": "The log.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StoredLog"}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"},
                                "404": {"$ref": "#/components/responses/NotFound"},
                                "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/timeline": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}],
          "get": {"operationId": "timeline", "summary": "Every event after `after` (runbook timeline --json).",
                  "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
                  "responses": {"200": {"description": "Events.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"},
                                "404": {"$ref": "#/components/responses/NotFound"},
                                "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/events": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}],
          "get": {"operationId": "incidentEvents", "summary": "Server-Sent Events: each new event of the incident as `id: SEQ`, `event: incident-event`, `data:` the event's JSON (as the timeline gives it); a `: heartbeat` comment every 15 s. The stream stays open until the client leaves or the server shuts down. Also accepts the web page's session cookie instead of a token.",
                  "parameters": [{"name": "Last-Event-ID", "in": "header", "schema": {"type": "integer", "minimum": 0}, "description": "Resume after this sequence (what the browser sends when it reconnects)."},
                                 {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}, "description": "Start after this sequence (Last-Event-ID wins); without either, only events from now on."}],
                  "responses": {"200": {"description": "An endless event stream.", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                                "400": {"$ref": "#/components/responses/BadRequest"},
                                "401": {"$ref": "#/components/responses/Unauthorized"},
                                "404": {"$ref": "#/components/responses/NotFound"}}}
        },
        "/api/v1/events": {
          "get": {"operationId": "events", "summary": "Server-Sent Events for the list of incidents: `event: incident-changed` with `data: {\"incident\": ID, \"events\": N}` whenever an incident not yet closed records an event or closes; a heartbeat comment every 15 s.",
                  "responses": {"200": {"description": "An endless event stream.", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}}
        },
        "/api/v1/incidents/{incident}/report": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}],
          "get": {"operationId": "report", "summary": "The post-mortem (runbook report).",
                  "parameters": [{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["md", "html", "json"]}}],
                  "responses": {"200": {"description": "The report.", "content": {"text/markdown": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "object"}}}},
                                "400": {"$ref": "#/components/responses/BadRequest"},
                                "401": {"$ref": "#/components/responses/Unauthorized"},
                                "404": {"$ref": "#/components/responses/NotFound"},
                                "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/steps/{step}/{mark}": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/Step"}, {"$ref": "#/components/parameters/IfMatch"},
                         {"name": "mark", "in": "path", "required": true, "schema": {"type": "string", "enum": ["done", "skip", "fail", "undo", "input", "approve"]}}],
          "post": {"operationId": "markStep", "summary": "Mark a step done, skipped or failed (a note), undo a mark (a note), record an input (value), approve (break_glass with a reason).",
                   "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"note": {"type": "string"}, "value": {"type": "string"}, "break_glass": {"type": "boolean"}, "reason": {"type": "string"}, "occurred_at": {"$ref": "#/components/schemas/OccurredAt"}}}}}},
                   "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/steps/{step}/run": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/Step"}, {"$ref": "#/components/parameters/IfMatch"}],
          "post": {"operationId": "runStep", "summary": "Run a command step on the server's host (confirm: the step id, for a destructive one), or start a call step's child incident.",
                   "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"confirm": {"type": "string"}, "kill_stale": {"type": "boolean"}}}}}},
                   "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/steps/{step}/interrupt": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/Step"}],
          "post": {"operationId": "interruptRun", "summary": "Interrupt a run of the step in progress on the server's host, as Ctrl-C would (SIGINT, then SIGTERM and SIGKILL after a grace); the run's own request records how it ended.",
                   "responses": {"200": {"description": "Whether a run was in progress.", "content": {"application/json": {"schema": {"type": "object", "required": ["interrupted"], "properties": {"interrupted": {"type": "boolean"}}}}}},
                                 "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/notes": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/IfMatch"}],
          "post": {"operationId": "addNote", "summary": "Add a note (runbook note).",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}, "occurred_at": {"$ref": "#/components/schemas/OccurredAt"}}}}}},
                   "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/ack": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/IfMatch"}],
          "post": {"operationId": "acknowledge", "summary": "Acknowledge the page (runbook ack).", "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/escalate": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/IfMatch"}],
          "post": {"operationId": "escalate", "summary": "Page the next tier now (runbook escalate).",
                   "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/resolve": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/IfMatch"}],
          "post": {"operationId": "resolve", "summary": "Resolve the incident (runbook resolve).",
                   "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"note": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/reopen": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/IfMatch"}],
          "post": {"operationId": "reopen", "summary": "Open a resolved or closed incident again, saying why (runbook reopen).",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/incidents/{incident}/severity": {
          "parameters": [{"$ref": "#/components/parameters/Incident"}, {"$ref": "#/components/parameters/IfMatch"}],
          "post": {"operationId": "changeSeverity", "summary": "Change the severity (runbook severity).",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["severity"], "properties": {"severity": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "Recorded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionOutcome"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                                 "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Refused"},
                                 "412": {"$ref": "#/components/responses/Changed"}, "422": {"$ref": "#/components/responses/Invalid"}}}
        },
        "/api/v1/alerts/{source}": {
          "parameters": [{"name": "source", "in": "path", "required": true, "schema": {"type": "string", "enum": ["alertmanager", "grafana", "generic"]}}],
          "post": {"operationId": "receiveAlerts", "summary": "Alert intake (runbooks/alerts.yaml): each alert of the delivery opens an incident of the first route that matches it, or is recorded on the open incident that holds the same fingerprint (or group key, on the same runbook); a resolved alert is a note on its incident.",
                   "description": "No person's token: the source's own secret, `Authorization: Bearer SECRET`, the value of the environment variable alerts.yaml names for the source. alertmanager: Prometheus Alertmanager webhook version 4; grafana: Grafana alerting's webhook contact point; generic: {title, labels, fingerprint, status}.",
                   "security": [{"alertSecret": []}],
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                     "properties": {"version": {"type": "string"}, "groupKey": {"type": "string"}, "status": {"type": "string", "enum": ["firing", "resolved"]},
                                    "alerts": {"type": "array", "items": {"type": "object", "properties": {"status": {"type": "string", "enum": ["firing", "resolved"]},
                                      "labels": {"type": "object", "additionalProperties": {"type": "string"}}, "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
                                      "fingerprint": {"type": "string"}}}},
                                    "title": {"type": "string"}, "labels": {"type": "object", "additionalProperties": {"type": "string"}}, "fingerprint": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "Something was recorded; what became of each alert.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertDelivery"}}}},
                                 "202": {"description": "Taken, nothing recorded (no route, or a resolved alert no open incident holds).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertDelivery"}}}},
                                 "400": {"$ref": "#/components/responses/BadRequest"},
                                 "401": {"description": "No secret, or not the source's.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                                 "404": {"$ref": "#/components/responses/NotFound"},
                                 "503": {"description": "Alert intake is off for the source: no alerts.yaml, an invalid one, the source not declared, or its secret variable unset.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}
        }
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "alertSecret": {"type": "http", "scheme": "bearer", "description": "The alert source's secret (alerts.yaml secret_env)."}},
        "parameters": {
          "Incident": {"name": "incident", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The incident: its id, today's number or the end of its id."},
          "Step": {"name": "step", "in": "path", "required": true, "schema": {"type": "string"}},
          "IfMatch": {"name": "If-Match", "in": "header", "required": false, "schema": {"type": "string"}, "description": "The incident view's ETag: refused with 412 when the incident changed since."}
        },
        "responses": {
          "BadRequest": {"description": "The request is malformed.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "Unauthorized": {"description": "No token, an unknown one or a revoked one.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "NotFound": {"description": "No such incident.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "Refused": {"description": "The engine refused the action; detail is its sentence.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "Changed": {"description": "The incident changed since the If-Match sequence.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "Invalid": {"description": "A wrong argument: an unknown step, runbook or severity, or an incident reference that matches several incidents.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        },
        "schemas": {
          "OccurredAt": {"type": "string", "description": "When the action really happened, for one entered after the fact (ISO-8601, not later than now; the command line's --at)."},
          "Readiness": {"type": "object", "required": ["status", "database", "watcher"],
                        "properties": {"status": {"type": "string", "enum": ["ready"]},
                                       "database": {"type": "object", "required": ["readable", "migrations"], "properties": {"readable": {"type": "boolean"}, "migrations": {"type": "string"}}},
                                       "watcher": {"type": "object", "required": ["running", "supervised", "background"],
                                                   "properties": {"running": {"type": "boolean"}, "supervised": {"type": "boolean"}, "background": {"type": "boolean"}}}}},
          "Problem": {"type": "object", "required": ["type", "title", "status", "detail"],
                      "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"}, "reason": {"type": "string"}}},
          "Caller": {"type": "object", "required": ["token", "person"], "properties": {"token": {"type": "string"}, "person": {"type": "string"}, "created_by": {"type": ["string", "null"], "description": "The login that issued the token."}}},
          "StoredRow": {"type": "object", "required": ["id", "runbook_id", "opened_at_ms", "updated_at_ms", "last_sequence", "title", "severity", "status", "stage", "drill"],
                        "properties": {"id": {"type": "string"}, "runbook_id": {"type": "string"}, "opened_at_ms": {"type": "integer"}, "updated_at_ms": {"type": "integer"},
                                       "last_sequence": {"type": "integer"}, "title": {"type": "string"}, "severity": {"type": "string"}, "status": {"type": "string"},
                                       "stage": {"type": "string"}, "next_due_at_ms": {"type": ["integer", "null"]}, "drill": {"type": "boolean"}}},
          "StoredLog": {"type": "object", "required": ["row", "runbook", "records", "texts", "facts"],
                        "properties": {"row": {"$ref": "#/components/schemas/StoredRow"},
                                       "runbook": {"type": "object", "required": ["runbook_id", "text", "sha256"], "properties": {"runbook_id": {"type": "string"}, "text": {"type": "string"}, "sha256": {"type": "string"}}},
                                       "records": {"type": "array", "items": {"type": "object", "required": ["sequence", "recorded_at_ms", "actor", "type", "data", "previous_hash", "hash"],
                                                   "properties": {"sequence": {"type": "integer"}, "recorded_at_ms": {"type": "integer"}, "actor": {"type": "string"}, "type": {"type": "string"},
                                                                  "data": {"type": "string"}, "previous_hash": {"type": "string"}, "hash": {"type": "string"}}}},
                                       "texts": {"type": "object", "additionalProperties": {"type": "string"}},
                                       "facts": {"type": "object"}}},
          "Runbook": {"type": "object", "required": ["id", "title", "kind"], "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "kind": {"type": "string"}}},
          "IncidentSummary": {"type": "object", "required": ["id", "runbook", "title", "status", "stage", "drill", "events"],
                              "properties": {"id": {"type": "string"}, "runbook": {"type": "string"}, "title": {"type": "string"}, "severity": {"type": "string"},
                                             "status": {"type": "string"}, "stage": {"type": "string"}, "drill": {"type": "boolean"}, "events": {"type": "integer"},
                                             "next_due_at": {"type": ["string", "null"]}}},
          "Incident": {"type": "object", "required": ["id", "runbook", "title", "status", "stage", "steps", "events", "integrity"],
                       "properties": {"id": {"type": "string"}, "runbook": {"type": "string"}, "title": {"type": "string"}, "severity": {"type": ["string", "null"]},
                                      "status": {"type": "string"}, "stage": {"type": "string"}, "stage_deadline": {"type": ["string", "null"]},
                                      "steps": {"type": "array", "items": {"type": "object", "required": ["id", "title", "kind", "status"]}},
                                      "events": {"type": "integer"}, "findings": {"type": "array"}, "integrity": {"type": ["object", "null"]}}},
          "Event": {"type": "object", "required": ["sequence", "recorded_at", "actor", "type", "hash", "description"],
                    "properties": {"sequence": {"type": "integer"}, "recorded_at": {"type": "string"}, "actor": {"type": "string"}, "login": {"type": ["string", "null"]},
                                   "type": {"type": "string"}, "description": {"type": "string"}, "hash": {"type": "string"}}},
          "AlertDelivery": {"type": "object", "required": ["source", "alerts"],
                            "properties": {"source": {"type": "string"}, "alerts": {"type": "array", "items": {"type": "object", "required": ["fingerprint", "status", "title", "outcome", "pages"],
                              "properties": {"fingerprint": {"type": "string"}, "status": {"type": "string"}, "title": {"type": "string"},
                                             "outcome": {"type": "string", "enum": ["opened", "recorded", "resolved-note", "no-route", "no-open-incident"]},
                                             "incident": {"type": ["string", "null"]}, "route": {"type": ["integer", "null"]}, "runbook": {"type": ["string", "null"]},
                                             "severity": {"type": ["string", "null"]}, "pages": {"type": "string", "enum": ["none-owed", "delivered", "left-to-watcher", "deferred"]}}}}}},
          "ActionOutcome": {"type": "object", "required": ["recorded", "pages"], "description": "What an action recorded, what became of the pages it left owed, and (unless the request said `Prefer: return=minimal`, RFC 7240) the incident as it is now.",
                            "properties": {"recorded": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                                           "pages": {"type": "string", "enum": ["none-owed", "delivered", "left-to-watcher", "deferred"]},
                                           "child": {"type": "string"}, "run": {"type": "object"},
                                           "incident": {"$ref": "#/components/schemas/Incident"}}}
        }
      }
    }
    """#
}
