"""The staff review app (Flask): handoff queue, transcripts, review marks, KB sign-off, audit.

Its own process (`python -m bot review`, started by `make run` on
http://localhost:8080), never inside the public Rasa server. Every route but
the login page needs a signed-in user with the right role; every POST needs
the session's CSRF token; every page is sent with no-store and a strict CSP,
because each holds patient information.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from bot.config import Settings
from bot.privacy import decrypt_contact
from bot.review import audit, auth, kb_signoff, reviews
from bot.review.conversations import LOW_CONFIDENCE, ROUTES, patient_turns, summaries, transcript
from bot.review.deidentify import export_rows, to_csv, to_json
from bot.safety import handoff

COOKIE = "staff_session"
LOGIN_CSRF_COOKIE = "staff_login_csrf"
#: Which roles may use which area. Admins run the service and read the audit log; they do not read transcripts.
AREAS = {
    "queue": ("nurse", "clinician"),
    "conversations": ("nurse", "clinician"),
    "kb": ("clinician",),
    "admin": ("admin",),
}
HOME = {"nurse": "queue", "clinician": "queue", "admin": "audit_log"}
URGENCY_LABEL = {"emergency": "Emergency (911)", "crisis": "Crisis (988)", "same_day": "Same day",
                 "routine": "Routine"}
OUTCOME_LABEL = {"called_back": "Called her back", "advised_911": "Advised 911 / emergency care",
                 "no_answer": "No answer, message left", "seen_in_clinic": "Seen in clinic",
                 "not_needed": "No follow-up needed", "other": "Other (see note)"}


#: What each error page says: plain words, no stack trace, and what to do next.
ERRORS = {
    400: ("Not understood", "The form was not filled in as expected. Go back and check each field."),
    403: ("Not allowed", "You do not have access to this page, or the form had expired. "
                         "Go back, reload the page and try again."),
    404: ("Not found", "There is nothing at this address. It may have been removed after the retention period."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    409: ("Changed meanwhile", "The entry changed after you opened it. Reload it, read the new text, "
                               "and decide again."),
    413: ("Too long", "That was too long to save. Shorten the note and try again."),
    500: ("Something went wrong", "The page could not be shown. Nothing was changed. Try again, and tell the "
                                  "administrator if it keeps happening."),
}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def requires(area: str) -> Callable:
    """Route decorator: the signed-in user's role must be allowed in `area`, else 403."""
    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if g.user.role not in AREAS[area]:
                abort(403)
            return view(*args, **kwargs)
        inner.area = area  # the route test checks every route declares one
        return inner
    return wrap


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024, TEMPLATES_AUTO_RELOAD=False)
    db = settings.database_url
    tracker = settings.tracker_database_url

    def address() -> str:
        return request.remote_addr or ""

    def log(action: str, target: str = "", detail: str = "") -> None:
        user = g.get("user")
        audit.record(user.username if user else "", user.role if user else "", action, target, address(), detail,
                     database_url=db)

    def secure() -> bool:
        return settings.staff_https or request.is_secure

    @app.before_request
    def authenticate() -> Optional[Response]:
        g.user, g.csrf = None, ""
        if request.endpoint in ("login", "static"):
            return None
        signed_in = auth.resume_session(request.cookies.get(COOKIE, ""), settings.staff_idle_minutes, db)
        if signed_in is None:
            target = request.full_path if request.method == "GET" else "/"
            return redirect(url_for("login", next=target.rstrip("?")), code=303)
        g.user, g.csrf = signed_in.user, signed_in.csrf_token
        if request.method == "POST":
            sent = request.form.get("csrf_token", "")
            if not sent or not hmac.compare_digest(sent, g.csrf):
                abort(403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Tuple[str, int]:
        title, message = ERRORS.get(error.code or 500, ERRORS[500])
        return render_template("error.html", title=title, message=message), error.code or 500

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Tuple[str, int]:
        app.logger.exception("staff app error on %s", request.endpoint)
        title, message = ERRORS[500]
        return render_template("error.html", title=title, message=message), 500

    @app.context_processor
    def shared() -> Dict[str, Any]:
        return {"user": g.get("user"), "csrf_token": g.get("csrf", ""), "clinic": settings.clinic_name,
                "areas": AREAS, "urgency_label": URGENCY_LABEL, "outcome_label": OUTCOME_LABEL}

    # ---- sign-in ---------------------------------------------------------------------------

    def safe_next(value: str) -> str:
        """Only a path on this app: no other host, no scheme, no control characters."""
        value = value or ""
        if any(ord(ch) < 32 or ch == "\\" for ch in value) or len(value) > 500:
            return "/"
        parts = urlsplit(value)
        return value if value.startswith("/") and not value.startswith("//") and not parts.netloc else "/"

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        message, status = "", 200
        if request.method == "POST":
            sent, expected = request.form.get("csrf_token", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
            if not sent or not expected or not hmac.compare_digest(sent, expected):
                abort(403)
            result = auth.authenticate(request.form.get("username", ""), request.form.get("password", ""),
                                       request.form.get("code", ""), settings.staff_lockout_attempts,
                                       settings.staff_lockout_minutes, db)
            if result.user is not None:
                token, _ = auth.start_session(result.user, db)
                g.user = result.user
                log("login_ok")
                response = redirect(safe_next(request.form.get("next", "/")), code=303)
                response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=secure(), path="/")
                response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
                return response
            # An unknown name is not written down: it is often a password typed into the wrong field.
            audit.record(result.username if result.known else "(unknown user)", "",
                         "login_locked" if result.outcome == "locked" else "login_failed", detail=result.outcome,
                         address=address(), database_url=db)
            status = 401
            message = ("This account is locked after too many failed sign-ins. Wait "
                       f"{settings.staff_lockout_minutes} minutes or ask an administrator to unlock it."
                       if result.outcome == "locked" else
                       "Wrong username, password or code. If your account uses an authenticator app, "
                       "enter its 6-digit code too.")
        # One token per browser, reused: a second login page (another tab, or the favicon request
        # redirected here) must not invalidate the form already on screen.
        token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not (32 <= len(token) <= 64):
            token = secrets.token_urlsafe(32)
        response = Response(render_template("login.html", message=message, login_csrf=token,
                                            next=safe_next(request.values.get("next", "/"))), status=status)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=secure(),
                            path="/login")
        return response

    @app.post("/logout")
    def logout() -> Response:
        log("logout")
        auth.end_session(request.cookies.get(COOKIE, ""), db)
        response = redirect(url_for("login"), code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.get("/")
    def home() -> Response:
        return redirect(url_for(HOME[g.user.role]), code=303)

    # ---- handoff queue -----------------------------------------------------------------------

    @app.get("/queue")
    @requires("queue")
    def queue() -> str:
        now = _now()
        target = settings.nurse_response_minutes
        rows = [(t, int((now - t.created_at).total_seconds() // 60)) for t in handoff.list_open_tickets(db)]
        return render_template("queue.html", rows=rows, target=target)

    def ticket_or_404(ticket_id: int) -> handoff.TicketView:
        ticket = handoff.get_ticket(ticket_id, db)
        if ticket is None:
            abort(404)
        return ticket

    @app.get("/tickets/<int(max=2147483647):ticket_id>")
    @requires("queue")
    def ticket(ticket_id: int, contact: str = "") -> str:
        view = ticket_or_404(ticket_id)
        return render_template("ticket.html", ticket=view, notes=handoff.notes_for(ticket_id, db), contact=contact,
                               outcomes=handoff.OUTCOMES, target=settings.nurse_response_minutes,
                               waited=int((_now() - view.created_at).total_seconds() // 60))

    @app.post("/tickets/<int(max=2147483647):ticket_id>/claim")
    @requires("queue")
    def claim(ticket_id: int) -> Response:
        ticket_or_404(ticket_id)
        if handoff.claim_ticket(ticket_id, g.user.username, db):
            log("ticket_claimed", f"ticket {ticket_id}")
        return redirect(url_for("ticket", ticket_id=ticket_id), code=303)

    @app.post("/tickets/<int(max=2147483647):ticket_id>/note")
    @requires("queue")
    def note(ticket_id: int) -> Response:
        ticket_or_404(ticket_id)
        if handoff.add_note(ticket_id, g.user.username, request.form.get("note", ""), db):
            log("ticket_note", f"ticket {ticket_id}")
        return redirect(url_for("ticket", ticket_id=ticket_id), code=303)

    @app.post("/tickets/<int(max=2147483647):ticket_id>/close")
    @requires("queue")
    def close(ticket_id: int) -> Response:
        ticket_or_404(ticket_id)
        outcome = request.form.get("outcome", "")
        if outcome not in handoff.OUTCOMES:
            abort(400)
        text = request.form.get("note", "")
        if handoff.close_ticket(ticket_id, db, by=g.user.username, outcome=outcome):
            if text.strip() and handoff.add_note(ticket_id, g.user.username, text, db):
                log("ticket_note", f"ticket {ticket_id}")
            log("ticket_closed", f"ticket {ticket_id}", f"outcome {outcome}")
        return redirect(url_for("queue"), code=303)

    @app.post("/tickets/<int(max=2147483647):ticket_id>/contact")
    @requires("queue")
    def contact(ticket_id: int) -> str:
        """The SMS call-back number, shown only on request and audited before it is shown."""
        view = ticket_or_404(ticket_id)
        token = handoff.contact_token(ticket_id, db)
        if not token:
            return ticket(ticket_id, contact="This ticket has no call-back number (it did not come by SMS).")
        log("number_revealed", f"ticket {ticket_id}", f"conversation {view.conversation_id}")
        try:
            number = decrypt_contact(token, settings.sms_encryption_key)
        except ValueError:
            number = "The number cannot be decrypted with this server's SMS_ENCRYPTION_KEY."
        return ticket(ticket_id, contact=number)

    # ---- conversations ----------------------------------------------------------------------

    def parse_day(value: str, default: datetime) -> datetime:
        try:
            day = datetime.strptime(value, "%Y-%m-%d")
        except (TypeError, ValueError):
            return default
        return day if 2000 <= day.year <= 2100 else default

    @app.get("/conversations")
    @requires("conversations")
    def conversations() -> str:
        today = _now().replace(hour=0, minute=0, second=0, microsecond=0)
        since = parse_day(request.args.get("from", ""), today - timedelta(days=30))
        until = parse_day(request.args.get("to", ""), today) + timedelta(days=1)
        f = {k: request.args.get(k, "") for k in ("channel", "route", "show", "q")}
        f["q"] = f["q"][:200]
        items = summaries(tracker, since, until, f["q"])
        handed = handoff.conversations_with_tickets(db)
        reviewed, flagged = reviews.reviewed_and_flagged(db)
        channels = sorted({s.channel for s in items if s.channel})
        if f["channel"]:
            items = [s for s in items if s.channel == f["channel"]]
        if f["route"]:
            items = [s for s in items if f["route"] in s.routes]
        show = {"fallback": lambda s: s.fallbacks > 0, "low_confidence": lambda s: s.low_confidence > 0,
                "handed_off": lambda s: s.conversation_id in handed,
                "flagged": lambda s: s.conversation_id in flagged,
                "unreviewed": lambda s: s.conversation_id not in reviewed}.get(f["show"])
        if show:
            items = [s for s in items if show(s)]
        if f["q"]:
            log("conversations_searched", detail=f"text {f['q']!r}, {len(items)} found")
        return render_template("conversations.html", items=items[:500], total=len(items), f=f, routes=ROUTES,
                               channels=channels, since=since.strftime("%Y-%m-%d"),
                               until=(until - timedelta(days=1)).strftime("%Y-%m-%d"), handed=handed,
                               flagged=flagged, reviewed=reviewed, low=LOW_CONFIDENCE)

    def topic_choices() -> List[str]:
        return sorted({s.intent for s in kb_signoff.statuses(db)} | {"greet", "goodbye", "thanks", "out_of_scope",
                                                                     "request_nurse"})

    @app.get("/conversations/<path:conversation_id>")
    @requires("conversations")
    def conversation(conversation_id: str) -> str:
        turns = transcript(tracker, conversation_id)
        if not turns:
            abort(404)
        log("transcript_viewed", f"conversation {conversation_id}")
        return render_template("transcript.html", conversation_id=conversation_id, turns=turns,
                               marks=reviews.reviews_for(conversation_id, db),
                               tickets=handoff.tickets_for(conversation_id, db), topics=topic_choices(),
                               low=LOW_CONFIDENCE)

    @app.post("/conversations/<path:conversation_id>/review")
    @requires("conversations")
    def review(conversation_id: str) -> Response:
        key = request.form.get("reply", "")
        turns = {t.key: t for t in transcript(tracker, conversation_id) if t.kind == "bot"}
        if key not in turns:
            abort(404)
        mark = request.form.get("mark", "")
        topic = request.form.get("right_intent", "")
        if mark not in reviews.MARKS or (topic and topic not in topic_choices()):
            abort(400)
        reviews.mark_reply(conversation_id, turns[key].timestamp, mark, g.user.username,
                           request.form.get("note", ""), topic or None, db)
        log("reply_marked", f"conversation {conversation_id}", f"{mark}" + (f", right topic {topic}" if topic else ""))
        return redirect(url_for("conversation", conversation_id=conversation_id) + f"#r{key}", code=303)

    @app.get("/review")
    @requires("conversations")
    def needs_review() -> str:
        today = _now()
        items = summaries(tracker, today - timedelta(days=30), today + timedelta(days=1))
        reviewed, _ = reviews.reviewed_and_flagged(db)
        waiting = reviews.needs_review(items, reviewed, handoff.conversations_with_tickets(db))
        return render_template("needs_review.html", items=waiting)

    @app.get("/intents")
    @requires("conversations")
    def intents() -> str:
        since = _now() - timedelta(days=30)
        marks = reviews.all_reviews(db)
        reply_intents: Dict[Tuple[str, str], str] = {}
        for conv in {r.conversation_id for r in marks}:
            last = ""
            for turn in transcript(tracker, conv):
                if turn.kind == "user":
                    last = turn.intent if turn.intent != "nlu_fallback" else (turn.guess or turn.intent)
                else:
                    reply_intents[(conv, turn.key)] = last
        lines = reviews.intent_summary(patient_turns(tracker, since), marks, reply_intents)
        return render_template("intents.html", lines=lines)

    @app.post("/corrections.yml")
    @requires("conversations")
    def corrections() -> Response:
        text, count = reviews.corrections_yaml(tracker, db)
        log("corrections_exported", detail=f"{count} examples")
        return Response(text, mimetype="application/x-yaml",
                        headers={"Content-Disposition": "attachment; filename=corrections.yml"})

    # ---- knowledge-base sign-off --------------------------------------------------------------

    @app.get("/kb")
    @requires("kb")
    def kb_list() -> str:
        return render_template("kb_list.html", entries=kb_signoff.statuses(db),
                               required=settings.kb_require_clinician)

    @app.get("/kb/<entry_id>")
    @requires("kb")
    def kb_entry(entry_id: str) -> str:
        row = kb_signoff.entry_row(entry_id, db)
        if row is None:
            abort(404)
        return render_template("kb_entry.html", entry=row, decisions=kb_signoff.decisions(entry_id, db))

    @app.post("/kb/<entry_id>/decide")
    @requires("kb")
    def kb_decide(entry_id: str) -> Response:
        decision = request.form.get("decision", "")
        note_text = request.form.get("note", "")
        if decision not in ("approved", "returned") or (decision == "returned" and not note_text.strip()):
            abort(400)
        content_hash = request.form.get("content_hash", "")
        if not kb_signoff.decide(entry_id, content_hash, decision, g.user.username, g.user.role, note_text, db):
            abort(409)
        log("kb_approved" if decision == "approved" else "kb_returned", f"entry {entry_id}",
            f"hash {content_hash}")
        return redirect(url_for("kb_entry", entry_id=entry_id), code=303)

    # ---- administration ------------------------------------------------------------------------

    @app.get("/audit")
    @requires("admin")
    def audit_log() -> str:
        action = request.args.get("action", "")
        actor = request.args.get("actor", "")[:64]
        return render_template("audit.html", rows=audit.entries(500, action if action in audit.ACTIONS else "",
                                                                 actor, db),
                               actions=audit.ACTIONS, action=action, actor=actor)

    @app.get("/admin/users")
    @requires("admin")
    def users() -> str:
        return render_template("users.html", users=auth.list_users(db))

    @app.get("/admin/export")
    @requires("admin")
    def export_page() -> str:
        return render_template("export.html")

    @app.post("/admin/export")
    @requires("admin")
    def export() -> Response:
        fmt = request.form.get("format", "json")
        if fmt not in ("json", "csv"):
            abort(400)
        today = _now()
        since = parse_day(request.form.get("from", ""), today - timedelta(days=30))
        until = parse_day(request.form.get("to", ""), today) + timedelta(days=1)
        low, high = since.replace(tzinfo=timezone.utc).timestamp(), until.replace(tzinfo=timezone.utc).timestamp()
        convs = {s.conversation_id: [t for t in transcript(tracker, s.conversation_id) if low <= t.timestamp < high]
                 for s in summaries(tracker, since, until)}
        rows = export_rows(convs)
        log("deidentified_export", f"{since:%Y-%m-%d} to {until - timedelta(days=1):%Y-%m-%d}",
            f"{fmt}, {len(convs)} conversations, {len(rows)} messages")
        body = to_json(rows) if fmt == "json" else to_csv(rows)
        return Response(body, mimetype="application/json" if fmt == "json" else "text/csv",
                        headers={"Content-Disposition": f"attachment; filename=deidentified.{fmt}"})

    return app
