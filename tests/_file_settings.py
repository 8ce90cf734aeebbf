"""Hypothesis settings of the property tests that write a generated population to a file."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def file_settings(max_examples: int) -> settings:
    """``max_examples`` examples, no deadline: each writes and reads a file in ``tmp_path``."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
