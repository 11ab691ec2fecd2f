"""The officials' registry: organizations, officials, appointments."""
