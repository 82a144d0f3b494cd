"""marshmallow schemas at the HTTP boundary."""
