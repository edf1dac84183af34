"""Reading data files: their bytes, YAML walked and validated with the line of every
problem, the field types the formats share, the cache of files validated before, and
the JSON Schema of a format for editors."""
