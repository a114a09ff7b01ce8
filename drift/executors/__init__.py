"""Where `drift ingest` runs: in this process ("local", the default) or on a Ray cluster ("ray").

Every executor has the signature of `drift.pipeline.ingest` and writes the same store
format; only the driver process opens the store.
"""

from __future__ import annotations

from typing import Callable

EXECUTORS = ("local", "ray")


def get_executor(name: str = "local") -> Callable:
    """The ingest function for `name`; ImportError with an install hint when Ray is missing."""
    if name == "local":
        from drift.pipeline import ingest

        return ingest
    if name == "ray":
        try:
            import ray  # noqa: F401
            import ray.data  # noqa: F401
        except ImportError:
            raise ImportError("the Ray executor needs Ray Data: pip install 'drift[ray]' (or 'ray[data]')") from None
        from drift.executors.ray_executor import ingest_ray

        return ingest_ray
    raise ValueError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
