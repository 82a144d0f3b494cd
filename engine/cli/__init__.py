"""`matterflow ...`: the command line of API.md, a thin shell over the engine services.

Each module adds its commands to the one `main` group; importing them here registers them.
"""

from engine.cli import accounts, audit, cases, catalogue, demo, worker
from engine.cli.common import main

__all__ = ["accounts", "audit", "cases", "catalogue", "demo", "main", "worker"]
