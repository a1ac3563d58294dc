"""The staff review app: a separate process that reads what the assistant wrote.

Nothing in the assistant imports this package; it depends on `bot/db`,
`bot/kb`, `bot/safety/handoff.py` and `bot/privacy.py` only.
"""
