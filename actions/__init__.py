"""The action server: thin Rasa SDK actions over the `bot` library."""
