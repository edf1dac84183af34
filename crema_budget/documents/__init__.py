"""JSON documents for scripts: one versioned document per command, shaped like the
domain and never like a view, and the JSON Schema of each."""
