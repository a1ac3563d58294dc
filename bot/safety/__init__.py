"""Safety net: deterministic triage, clinic hours and human handoff."""
