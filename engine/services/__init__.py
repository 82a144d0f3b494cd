"""Use cases, one module per resource. Each public function takes the Engine and an Actor (and
keyword primitives), checks permission, runs in one unit of work and returns frozen views from
engine.views; the machinery they share is engine.casework."""
