"""The in-memory connection graph behind degrees, mutual connections and paths (no Django here)."""

from graph.index import GraphIndex

__all__ = ["GraphIndex"]
