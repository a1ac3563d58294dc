"""Command line: `python -m bot kb validate|load`, `tickets`, `env`, `users`, `purge`, `review` and `db upgrade`.

Kept as plain argparse so it runs anywhere the virtual environment does,
including CI and a clinic's deployment host.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from bot.config import get_settings


def _kb_dir(args: argparse.Namespace) -> Path:
    return Path(args.kb_dir or get_settings().kb_dir)


def cmd_kb_validate(args: argparse.Namespace) -> int:
    from bot.kb.loader import KBInvalid, check_kb, read_fact_sheet
    from bot.kb.validate import clinician_flags, strict_problems

    kb_dir = _kb_dir(args)
    try:
        entries = check_kb(kb_dir)
    except KBInvalid as exc:
        for problem in exc.problems:
            print(f"ERROR {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); fix them before loading.", file=sys.stderr)
        return 1
    sheet = read_fact_sheet(kb_dir)
    unconfirmed = sheet.unconfirmed if sheet else set()
    for entry in entries:
        for flag in clinician_flags(entry, unconfirmed):
            print(f"FLAG {entry.source_file}: entry '{entry.id}', for a clinician to check: {flag}")
    approved = sum(1 for e in entries if e.approved)
    signed = sum(1 for e in entries if e.clinician_signed)
    print(f"OK: {len(entries)} entries valid ({approved} approved, {len(entries) - approved} draft; "
          f"{signed} signed off by a clinician).")
    if args.strict:
        problems = strict_problems(entries, unconfirmed)
        for problem in problems:
            print(f"ERROR {problem}", file=sys.stderr)
        if problems:
            print(f"--strict: {len(problems)} problem(s); the content is not ready for go-live "
                  "until a clinician signs off every served entry.", file=sys.stderr)
            return 1
        print("--strict: every served entry carries a current clinician sign-off.")
    return 0


def cmd_kb_load(args: argparse.Namespace) -> int:
    from bot.kb.loader import KBInvalid, load_kb

    try:
        report = load_kb(_kb_dir(args), args.database_url)
    except KBInvalid as exc:
        for problem in exc.problems:
            print(f"ERROR {problem}", file=sys.stderr)
        print("Nothing was loaded.", file=sys.stderr)
        return 1
    print(f"Knowledge base loaded: {report}.")
    return 0


def _printable(value: str) -> str:
    """Control characters escaped, so a stored value cannot rewrite the nurse's terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in value)


def cmd_env(args: argparse.Namespace) -> int:
    """Create .env from .env.example once, with a fresh ACTION_SERVER_SECRET if none is set."""
    import re
    import secrets

    from bot import PROJECT_ROOT

    env = PROJECT_ROOT / ".env"
    if not env.exists():
        env.write_text((PROJECT_ROOT / ".env.example").read_text())
        print("Created .env from .env.example; fill in the clinic's own values.")
    env.chmod(0o600)  # it holds secrets
    text = env.read_text()
    if not re.search(r"^ACTION_SERVER_SECRET=\S+", text, re.M):
        line = f"ACTION_SERVER_SECRET={secrets.token_hex(24)}"
        text = re.sub(r"^ACTION_SERVER_SECRET=.*$", line, text, flags=re.M) if re.search(
            r"^ACTION_SERVER_SECRET=", text, re.M) else text.rstrip("\n") + "\n" + line + "\n"
        env.write_text(text)
        print("Wrote a new ACTION_SERVER_SECRET into .env.")
    return 0


def cmd_tickets(args: argparse.Namespace) -> int:
    from bot.safety.handoff import close_ticket, list_open_tickets

    if args.contact is not None:
        return _show_contact(args.contact, args.database_url)
    if args.close is not None:
        if close_ticket(args.close, args.database_url, by=_operator()):
            _audit("ticket_closed", f"ticket {args.close}", args.database_url, "from the command line")
            print(f"Ticket {args.close} closed.")
            return 0
        print(f"No open ticket with id {args.close}.", file=sys.stderr)
        return 1
    tickets = list_open_tickets(args.database_url)
    if not tickets:
        print("No open tickets.")
        return 0
    print(f"{'id':>4}  {'urgency':9}  {'created (UTC)':16}  {'channel':8}  {'reason':28}  conversation")
    for t in tickets:
        print(f"{t.id:>4}  {_printable(t.urgency):9}  {t.created_at:%Y-%m-%d %H:%M}  "
              f"{_printable(t.channel)[:8]:8}  {_printable(t.reason)[:28]:28}  {_printable(t.conversation_id)}")
    print(f"{len(tickets)} open ticket(s), most urgent first.")
    return 0


def _operator() -> str:
    """Who ran the command (the server account), for the audit log."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _audit(action: str, target: str, database_url: Optional[str], detail: str = "") -> None:
    from bot.review import audit

    audit.record(_operator(), "cli", action, target, "localhost", detail, database_url=database_url)


def _show_contact(ticket_id: int, database_url: Optional[str]) -> int:
    """Print an SMS ticket's call-back number for the nurse; it is never logged."""
    from bot.privacy import decrypt_contact
    from bot.safety.handoff import contact_token, get_ticket

    ticket = get_ticket(ticket_id, database_url)
    token = contact_token(ticket_id, database_url) if ticket else None
    if ticket is None:
        print(f"No ticket with id {ticket_id}.", file=sys.stderr)
        return 1
    if not token:
        print(f"Ticket {ticket_id} has no call-back number (it did not come by SMS).", file=sys.stderr)
        return 1
    _audit("number_revealed", f"ticket {ticket_id}", database_url, "from the command line")
    try:
        print(decrypt_contact(token, get_settings().sms_encryption_key))
    except ValueError as exc:
        print(f"Cannot show the number: {exc}.", file=sys.stderr)
        return 1
    return 0


def _read_password(prompt: str) -> str:
    """From standard input when it is not a terminal (scripts, tests); otherwise asked twice, unseen."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(prompt)
    if first != getpass.getpass("Repeat the password: "):
        raise ValueError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from bot.review import auth

    url = args.database_url
    if args.users_command == "add":
        try:
            member = auth.add_user(args.name, args.role, _read_password(f"Password for {args.name}: "), url)
        except (auth.AccountError, ValueError) as exc:
            print(f"Not added: {exc}.", file=sys.stderr)
            return 1
        _audit("user_added", member.username, url, f"role {member.role}")
        print(f"Added {member.username} ({member.role}).")
        return 0
    if args.users_command == "unlock":
        if auth.unlock(args.name, url):
            _audit("user_unlocked", args.name, url)
            print(f"Unlocked {args.name}.")
            return 0
        print(f"No user named {args.name!r}.", file=sys.stderr)
        return 1
    if args.users_command == "totp":
        try:
            secret = auth.enable_totp(args.name, url)
        except auth.AccountError as exc:
            print(f"{exc}.", file=sys.stderr)
            return 1
        from bot.review.totp import provisioning_uri

        _audit("totp_enabled", args.name, url)
        print("Second factor on. Give this to the user once, in person, for an authenticator app:")
        print(f"  secret: {secret}")
        print(f"  link:   {provisioning_uri(secret, args.name, get_settings().clinic_name)}")
        return 0
    for member, locked in auth.list_users(url):
        state = f"locked until {locked:%Y-%m-%d %H:%M} UTC" if locked else "active"
        print(f"{member.username:24} {member.role:10} totp={'on' if member.has_totp else 'off':3} {state}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.review.retention import purge

    settings = get_settings()
    counts = purge(settings)
    print(f"Purged what is older than {settings.retention_days} days (audit log: "
          f"{settings.audit_retention_days} days): " + ", ".join(f"{k} {v}" for k, v in counts.items()) + ".")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from bot.review.server import main as serve

    return serve([*(["--host", args.host] if args.host else []), *(["--port", str(args.port)] if args.port else [])])


def cmd_db(args: argparse.Namespace) -> int:
    from bot.db import get_engine
    from bot.db.migrate import current_revision, head_revision

    url = args.database_url or get_settings().database_url
    engine = get_engine(url)  # opening it runs the upgrade
    print(f"Database at revision {current_revision(engine)} (newest: {head_revision()}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Patient assistant tools")
    sub = parser.add_subparsers(dest="command", required=True)
    kb = sub.add_parser("kb", help="knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    validate = kb_sub.add_parser("validate", help="check every entry against the content rules")
    validate.add_argument("--kb-dir", help="folder holding entries/ and policy.yml (default: data/kb)")
    validate.add_argument("--strict", action="store_true",
                          help="also fail unless a clinician has signed off every served entry (run before go-live)")
    validate.set_defaults(func=cmd_kb_validate)
    load = kb_sub.add_parser("load", help="validate, then load the entries into the database")
    load.add_argument("--kb-dir")
    load.add_argument("--database-url", help="default: DATABASE_URL")
    load.set_defaults(func=cmd_kb_load)
    tickets = sub.add_parser("tickets", help="open handoff tickets, most urgent first")
    tickets.add_argument("--database-url", help="default: DATABASE_URL")
    tickets.add_argument("--close", type=int, metavar="ID", help="close ticket ID")
    tickets.add_argument("--contact", type=int, metavar="ID", help="show the call-back number of SMS ticket ID")
    tickets.set_defaults(func=cmd_tickets)
    env = sub.add_parser("env", help="create .env from .env.example with a new action server secret")
    env.set_defaults(func=cmd_env)
    users = sub.add_parser("users", help="staff accounts for the review app")
    users.add_argument("--database-url", help="default: DATABASE_URL")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create a user; the password is read from standard input or asked")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["nurse", "clinician", "admin"])
    users_sub.add_parser("list", help="every account, its role, second factor and lock")
    unlock = users_sub.add_parser("unlock", help="clear a lock after repeated failed sign-ins")
    unlock.add_argument("name")
    totp_cmd = users_sub.add_parser("totp", help="turn on (or renew) the user's TOTP second factor")
    totp_cmd.add_argument("name")
    users.set_defaults(func=cmd_users)
    purge = sub.add_parser("purge", help="delete what is past RETENTION_DAYS; recorded in the audit log")
    purge.set_defaults(func=cmd_purge)
    review = sub.add_parser("review", help="run the staff review app (default http://localhost:8080)")
    review.add_argument("--host")
    review.add_argument("--port", type=int)
    review.set_defaults(func=cmd_review)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply the Alembic migrations (the servers also do this on start)")
    upgrade.add_argument("--database-url", help="default: DATABASE_URL")
    upgrade.set_defaults(func=cmd_db)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    from bot.config import SettingsError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
