"""Demo data for Bến Tre."""
