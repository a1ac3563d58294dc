"""The project's own spaCy pipeline and the word lists it is built from."""
