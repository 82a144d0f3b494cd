"""Storage: typed models, migrations and the unit of work. Services are its only users."""
