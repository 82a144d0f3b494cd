"""One blueprint per area: api (REST), portal (applicants)."""
