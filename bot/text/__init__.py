"""Text utilities shared by the knowledge base and the channels."""
