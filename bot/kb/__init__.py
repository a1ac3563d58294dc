"""The vetted knowledge base: schema, validation, loading and the one lookup."""
