"""Pure business rules (DOMAIN.md): standard library only, frozen dataclasses in, results out."""
