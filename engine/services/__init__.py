"""Use cases. Each function takes the Engine and an Actor, checks permission, runs in one unit
of work and returns frozen views from engine.views."""
