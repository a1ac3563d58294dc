"""Shared library of the breast-calcification patient assistant.

Everything that both the Rasa server (custom NLU components, channels) and the
action server need lives here, so there is exactly one implementation of each
concern: configuration, database access, knowledge-base lookup, rendering.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
