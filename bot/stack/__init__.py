"""The production shape on one machine (issue 12): PostgreSQL, Redis, several Rasa replicas, nginx.

`make stack` (bot/stack/runner.py) starts it from Debian's packages; `deploy/` holds the
systemd units and the nginx site file a clinic installs instead.
"""
