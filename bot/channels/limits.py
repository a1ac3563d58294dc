"""Body-size limits for the public endpoints, judged before anything is parsed.

Sanic's own default is 100 MB. Each channel states its limit (a few KB) and refuses a
larger body from its Content-Length, or its byte count, before reading JSON or a form.
"""

from __future__ import annotations

from sanic.request import Request

#: The widget sends {"session", "message" (1,000 characters at most), "id"}.
WIDGET_MAX_BYTES = 4 * 1024
#: The REST channel takes messages of up to 5,000 characters (UTF-8: up to about 15 KB in the worst case).
REST_MAX_BYTES = 16 * 1024
#: Twilio posts about 20 form fields and a body of at most 1,600 characters, percent-encoded.
SMS_MAX_BYTES = 16 * 1024


def body_too_big(request: Request, limit: int) -> bool:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return True
    return len(request.body or b"") > limit
