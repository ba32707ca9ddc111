"""Demo and seed data: only the project shell (`seed_demo`, bench/, tests) imports this."""
