"""Test-only: intercept Twilio's REST API inside the real Rasa server process.

Python imports `sitecustomize` at start-up from any folder on PYTHONPATH; the
end-to-end tests put this folder there only for the servers they start and
only with TWILIO_FAKE_LOG set. Twilio's API is outside this machine, so it is
the one thing mocked, at the HTTP layer with the `responses` library: every
outgoing message is appended to TWILIO_FAKE_LOG as one JSON line.

Recipients ending in 21610 get Twilio's "unsubscribed recipient" error and
recipients ending in 50000 get an HTTP 500, so error handling is exercised too.
"""

import json
import os
import re

LOG = os.environ.get("TWILIO_FAKE_LOG")

if LOG:
    from urllib.parse import parse_qs

    import responses

    def _messages(request):
        form = {k: v[0] for k, v in parse_qs(request.body if isinstance(request.body, str)
                                             else request.body.decode()).items()}
        with open(LOG, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"To": form.get("To"), "From": form.get("From"), "Body": form.get("Body"),
                                 "url": request.url}) + "\n")
        to = form.get("To", "")
        if to.endswith("21610"):
            return 400, {}, json.dumps({"code": 21610, "message": "Attempt to send to unsubscribed recipient",
                                        "status": 400})
        if to.endswith("50000"):
            return 500, {}, json.dumps({"code": 20500, "message": "Internal Server Error", "status": 500})
        return 201, {}, json.dumps({"sid": "SM" + "0" * 32, "status": "queued", "to": to,
                                    "from": form.get("From"), "body": form.get("Body")})

    _mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    _mock.add_callback(responses.POST, re.compile(r"https://api\.twilio\.com/2010-04-01/Accounts/\w+/Messages\.json"),
                       callback=_messages, content_type="application/json")
    _mock.add_passthru(re.compile(r"http://(127\.0\.0\.1|localhost)"))
    _mock.start()
