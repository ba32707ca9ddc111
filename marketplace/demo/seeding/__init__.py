"""Persian demo data for `manage.py seed_demo`, in two steps: `plans` decides
what should exist (pure and deterministic: no database), `writer` makes the
database hold it (idempotent, additive, bulk). The command only parses its
options and reports."""
