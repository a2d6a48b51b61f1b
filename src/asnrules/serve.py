"""The web API and the playground (``asnrules serve``, INTERFACES.md Part II "Web API").

The only module that imports FastAPI, Starlette, pydantic and uvicorn. Every answer is built by
:mod:`asnrules.answers` (the one serialiser of the command line's ``--json``); every refusal is
``{"error": {"code": "E38x", "message": "..."}}`` in the caller's language, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import playground
from .answers import circulars_answer, error_answer, evaluation_answer
from .errors import AsnrulesError, InputError
from .messages import msg, say
from .ruleset import RuleSet
from .version import __version__

log = logging.getLogger("asnrules.serve")

#: The largest request body accepted (bytes); a larger one is refused with 413 (E385).
MAX_BODY = 8 * 1024 * 1024
#: The longest rule text accepted by /v1/playground (characters).
MAX_TEXT = 200_000
#: The most situations one POST /v1/evaluate/batch decides.
MAX_BATCH = 100_000
#: The most staff one POST /v1/plan rosters.
MAX_PLAN_STAFF = 2_000
#: The longest period (days, both ends included) one POST /v1/plan rosters.
MAX_PLAN_DAYS = 62

Lang = Literal["id", "en"]
Count = Annotated[StrictInt, Field(ge=0)]
Counts = dict[StrictStr, dict[StrictStr, Count]]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Situation(_Strict):
    """One work unit on one day: what ``asnrules eval`` takes."""

    date: StrictStr
    region: StrictStr | None = None
    counts: Counts = Field(default_factory=dict)
    level: StrictStr | None = None
    agency: StrictStr | None = None


class ExplainRequest(Situation):
    lang: Lang | None = None


class PlaygroundRequest(_Strict):
    text: Annotated[StrictStr, Field(max_length=MAX_TEXT)]
    lang: Lang | None = None
    date: StrictStr | None = None
    region: StrictStr | None = None
    counts: Counts | None = None
    level: StrictStr | None = None
    agency: StrictStr | None = None
    staff: dict[StrictStr, Count] | None = None


class LintRequest(_Strict):
    text: Annotated[StrictStr, Field(max_length=MAX_TEXT)]
    name: Annotated[StrictStr, Field(max_length=255)] | None = None
    lang: Lang | None = None


class CapacityRequest(_Strict):
    date: StrictStr
    region: StrictStr | None = None
    staff: dict[StrictStr, Count] = Field(default_factory=dict)
    level: StrictStr | None = None
    agency: StrictStr | None = None
    lang: Lang | None = None


class PlanMember(_Strict):
    """One line of a STAFF_FILE (``asnrules plan``), as JSON."""

    employee: StrictStr
    unit: StrictStr
    category: StrictStr
    team: StrictStr | None = None
    eligible: StrictBool | None = None
    leave: list[StrictStr] = Field(default_factory=list)
    prefer: list[StrictStr] = Field(default_factory=list)
    fixed: dict[StrictStr, StrictStr] = Field(default_factory=dict)

    def row(self) -> dict[str, object]:
        """The mapping :func:`asnrules.planner.read_staff` reads (the STAFF_FILE's columns)."""
        row: dict[str, object] = {"employee": self.employee, "unit": self.unit, "category": self.category}
        if self.team is not None:
            row["team"] = self.team
        if self.eligible is not None:
            row["eligible"] = self.eligible
        row["leave"] = self.leave
        row["prefer"] = self.prefer
        row["fixed"] = [f"{day}={mode}" for day, mode in self.fixed.items()]
        return row


class PlanRequest(_Strict):
    staff: Annotated[list[PlanMember], Field(min_length=1, max_length=MAX_PLAN_STAFF)]
    from_: Annotated[StrictStr, Field(alias="from")]
    to: StrictStr
    region: StrictStr
    level: StrictStr | None = None
    agency: StrictStr | None = None
    lang: Lang | None = None


class BatchRequest(_Strict):
    situations: Annotated[list[Situation], Field(max_length=MAX_BATCH)]


class _BodyLimit:
    """ASGI wrapper refusing bodies over :data:`MAX_BODY` (by Content-Length, or as they stream in)."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]], lang: str) -> None:
        self.app = app
        self.headers = headers
        self.lang = lang

    async def _refuse(self, send: Send) -> None:
        import json

        body = json.dumps(
            error_answer("E385", say("serve.too-large", self.lang, limit=MAX_BODY)), ensure_ascii=False
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers + self.headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > MAX_BODY
                except ValueError:
                    too_big = False
                if too_big:
                    await self._refuse(send)
                    return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started:
                await self._refuse(send)


class _TooLarge(Exception):
    pass


def _request_lang(request: Request, default: str) -> str:
    q = request.query_params.get("lang", "").lower()
    if q in ("id", "en"):
        return q
    accept = request.headers.get("accept-language", "").lower()
    for part in accept.split(","):
        tag = part.split(";")[0].strip()[:2]
        if tag in ("id", "en"):
            return tag
    return default


# pydantic's kinds of problem with a field, worded by the catalogue (any other kind keeps pydantic's words)
_PROBLEMS = {
    "missing": "serve.problem-missing",
    "extra_forbidden": "serve.problem-unknown",
    "int_type": "serve.problem-integer",
    "int_parsing": "serve.problem-integer",
    "int_from_float": "serve.problem-integer",
    "bool_type": "serve.problem-boolean",
    "string_type": "serve.problem-text",
    "dict_type": "serve.problem-object",
    "model_type": "serve.problem-object",
    "model_attributes_type": "serve.problem-object",
    "list_type": "serve.problem-list",
    "greater_than_equal": "serve.problem-at-least",
    "less_than_equal": "serve.problem-at-most",
    "string_too_long": "serve.problem-too-long",
    "too_long": "serve.problem-too-many",
    "literal_error": "serve.problem-one-of",
}


#: What Python's JSON reader says (the start of its message) → the catalogue's words for it.
_JSON_PROBLEMS = {
    "Expecting value": "serve.json-value",
    "Expecting ',' delimiter": "serve.json-comma",
    "Expecting ':' delimiter": "serve.json-colon",
    "Expecting property name enclosed in double quotes": "serve.json-name",
    "Unterminated string": "serve.json-unterminated",
    "Extra data": "serve.json-extra",
    "Invalid control character": "serve.json-control",
    "Invalid \\escape": "serve.json-escape",
    "Invalid \\uXXXX escape": "serve.json-escape",
    "Illegal trailing comma": "serve.json-trailing-comma",  # Python 3.13 and later
}


def _json_problem(error: Mapping[str, Any], body: bytes, lang: str) -> str:
    """Why the body is not JSON, in ``lang``, and where: the line and column (1-based, in
    characters) Python's reader stopped at, from the offset it gives."""
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    detail = str(ctx.get("error", error.get("msg", "")))
    id = next((v for k, v in _JSON_PROBLEMS.items() if detail.startswith(k)), None)
    what = say(id or "serve.json-other", lang)  # never the reader's own English
    loc = [p for p in error.get("loc", ()) if isinstance(p, int)]
    if not loc:
        return what
    # the reader's offset counts characters of the body decoded as it decodes it (a BOM, UTF-16...)
    before = body.decode(json.detect_encoding(body), "replace")[: loc[-1]]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return say("serve.json-at", lang, what=what, line=line, column=column)


def _problem(error: Mapping[str, Any], lang: str) -> str:
    """What is wrong with a field, in ``lang``: the catalogue's words for the kinds it knows."""
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    id = _PROBLEMS.get(str(error.get("type", "")))
    if id is None:
        return str(error.get("msg", ""))
    limit = ctx.get("ge", ctx.get("le", ctx.get("max_length", "")))
    return say(id, lang, limit=limit, expected=ctx.get("expected", ""))


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p != "body"]
    return ".".join(parts) or "body"


def create_app(rs: RuleSet) -> FastAPI:
    """The web API for the rule set ``rs`` (loaded once, by the caller)."""
    default_lang = getattr(rs, "language", "id") or "id"
    stamp = {"Asnrules-Version": __version__, "Rules-Fingerprint": rs.fingerprint}
    app = FastAPI(
        title="asnrules",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="Rules-as-code for the work arrangements of Indonesian civil servants.",
    )

    def refuse(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse(error_answer(code, message), status_code=status)

    def refused(e: AsnrulesError, lang: str) -> JSONResponse:
        text = e.msg.text(lang) if e.msg is not None else e.message
        return refuse(422, e.code, text)

    @contextmanager
    def refusing(lang: str) -> Iterator[None]:
        """A refusal of the rules (an unknown region, a bad date...) inside the block becomes a 422
        answer with its code and its message in ``lang`` (the body's ``lang``, which the handler of
        every other refusal cannot see)."""
        try:
            yield
        except AsnrulesError as e:
            raise _Refused(refused(e, lang)) from None

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            response = await call_next(request)
        except Exception:  # an internal bug: logged, a JSON 500, no traceback in the body
            log.exception("internal error on %s %s", request.method, request.url.path)
            response = refuse(500, "E389", say("serve.internal", _request_lang(request, default_lang)))
        response.headers.update(stamp)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = _request_lang(request, default_lang)
        errors = exc.errors()
        first: dict[str, Any] = dict(errors[0]) if errors else {"type": "", "loc": (), "msg": ""}
        if first.get("type") == "json_invalid":
            detail = _json_problem(first, await request.body(), lang)
            return refuse(400, "E381", say("serve.bad-json", lang, detail=detail))
        return refuse(
            422, "E382", say("serve.bad-field", lang, field=_field(first.get("loc", ())), problem=_problem(first, lang))
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = _request_lang(request, default_lang)
        if exc.status_code == 405:
            return refuse(405, "E384", say("serve.method", lang, method=request.method, path=request.url.path))
        if exc.status_code == 404:
            return refuse(404, "E383", say("serve.not-found", lang, path=request.url.path))
        return refuse(exc.status_code, "E382", str(exc.detail))

    @app.exception_handler(AsnrulesError)
    async def asnrules_error(request: Request, exc: AsnrulesError) -> JSONResponse:
        return refused(exc, _request_lang(request, default_lang))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return refuse(500, "E389", say("serve.internal", _request_lang(request, default_lang)))

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def index(lang: Lang = "id") -> HTMLResponse:
        """The drafters' playground (HEAD too: a monitor's check that the service is up)."""
        headers = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": playground.csp(),
        }
        return HTMLResponse(playground.page(lang=lang), headers=headers)

    @app.post("/v1/playground")
    def playground_(body: PlaygroundRequest) -> dict[str, Any]:
        """What the playground shows for a rule text: diagnostics, provisions, verdict, capacity."""
        return playground.answer(
            body.text,
            lang=body.lang,
            date=body.date,
            region=body.region,
            counts=body.counts,
            level=body.level,
            agency=body.agency,
            staff=body.staff,
        )

    @app.get("/v1/circulars")
    def circulars() -> dict[str, Any]:
        """The instruments of the loaded rule set."""
        return circulars_answer(rs)

    # The answers of the hot endpoints are JSON already (``to_json``): sent as they are, without
    # FastAPI's generic encoder (a third of the time of a batch); the schema stays that of a dict.
    @app.post("/v1/evaluate", response_model=dict[str, Any])
    def evaluate(body: Situation) -> Response:
        """One situation, as ``asnrules eval --json`` answers it."""
        result = rs.evaluate(body.date, body.region, body.counts, level=body.level, agency=body.agency)
        return JSONResponse(evaluation_answer(result, rs))

    @app.post("/v1/explain")
    def explain(body: ExplainRequest, request: Request) -> dict[str, Any]:
        """One situation: the verdict and the explanation ``asnrules eval`` prints for people."""
        lang = body.lang or _request_lang(request, default_lang)
        with refusing(lang):
            result = rs.evaluate(body.date, body.region, body.counts, level=body.level, agency=body.agency)
        data = evaluation_answer(result, rs)
        data["explanation"] = result.explain(lang)
        return data

    @app.post("/v1/evaluate/batch", response_model=dict[str, Any])
    def evaluate_batch(body: BatchRequest) -> Response:
        """Many situations, in order, each answered as ``/v1/evaluate`` answers it (the compiled engine)."""
        results = [
            evaluation_answer(rs.evaluate(s.date, s.region, s.counts, level=s.level, agency=s.agency), rs)
            for s in body.situations
        ]
        return JSONResponse({"results": results})

    @app.post("/v1/capacity")
    def capacity(body: CapacityRequest, request: Request) -> dict[str, Any]:
        """The least and most staff the rules allow in each mode, as ``asnrules capacity --json``."""
        lang = body.lang or _request_lang(request, default_lang)
        with refusing(lang):
            answer = rs.capacity(body.date, body.region, body.staff, level=body.level, agency=body.agency)
        data: dict[str, Any] = answer.to_json(lang)
        return data

    @app.post("/v1/lint")
    def lint(body: LintRequest) -> dict[str, Any]:
        """The diagnostics of one rule text alone, as ``asnrules lint --json`` (the loaded rules untouched)."""
        from .answers import lint_answer
        from .errors import RulesError
        from .messages import file_language
        from .ruleset import loads

        name = body.name or "<input>.asnr"
        try:
            diags = list(loads(body.text, name).diagnostics)
        except RulesError as e:
            diags = list(e.diagnostics)
        lang = body.lang or file_language(body.text)
        if body.lang:
            diags = [d.localised(lang) for d in diags]
        return lint_answer([name], diags)

    @app.post("/v1/plan")
    def plan_(body: PlanRequest, request: Request) -> dict[str, Any]:
        """A compliant, fair roster for the staff, as ``asnrules plan --json`` prints it; a roster that
        cannot exist is answered 200 with ``feasible`` false and the reason (the command's exit 1)."""
        from . import runtime
        from .planner import plan, read_staff

        lang = body.lang or _request_lang(request, default_lang)
        first, last = runtime.read_date(body.from_), runtime.read_date(body.to)
        if isinstance(first, dt.date) and isinstance(last, dt.date) and (last - first).days + 1 > MAX_PLAN_DAYS:
            problem = say("serve.plan-too-long", lang, limit=MAX_PLAN_DAYS, days=(last - first).days + 1)
            raise _Refused(refuse(422, "E382", say("serve.bad-field", lang, field="to", problem=problem)))
        with refusing(lang):
            staff = read_staff([m.row() for m in body.staff], rs.model)
            roster = plan(rs, staff, body.from_, body.to, body.region, level=body.level, agency=body.agency)
        return roster.to_json(lang)

    @app.get("/v1/in-force")
    def in_force(
        date: Annotated[str, Query()],
        region: Annotated[str | None, Query()] = None,
        level: Annotated[str | None, Query()] = None,
        agency: Annotated[str | None, Query()] = None,
        lang: Annotated[Lang | None, Query()] = None,
    ) -> dict[str, Any]:
        """What is in force on a day, as ``asnrules in-force --json`` answers it."""
        answer = rs.in_force(date, region, level=level, agency=agency)
        data: dict[str, Any] = answer.to_json(lang or default_lang)
        return data

    @app.exception_handler(_Refused)
    async def refused_handler(request: Request, exc: _Refused) -> JSONResponse:
        return exc.response

    app.add_middleware(
        _BodyLimit, headers=[(k.lower().encode(), v.encode()) for k, v in stamp.items()], lang=default_lang
    )
    return app


class _Refused(Exception):
    def __init__(self, response: JSONResponse) -> None:
        super().__init__()
        self.response = response


def run(rs: RuleSet, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``rs`` on ``host:port`` (one worker) until stopped; a busy port raises InputError (E386)."""
    import click
    import uvicorn

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as e:
        reason = e.strerror or errno.errorcode.get(e.errno or 0, str(e))
        raise InputError(msg("serve.port-busy", host=host, port=port, reason=reason), code="E386") from None
    lang = getattr(rs, "language", "id") or "id"
    config = uvicorn.Config(create_app(rs), host=host, port=port, workers=1, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    click.echo(say("serve.listening", lang, host=host, port=port))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
