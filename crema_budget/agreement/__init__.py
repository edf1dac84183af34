"""The agreement: its records, its data file's format and rules, loading it, its
arithmetic, the check of every figure it declares, its versions (amendments at a date,
what changed between two) and next year's draft written back."""
