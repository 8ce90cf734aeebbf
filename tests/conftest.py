"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A Dask client of a local cluster of two worker processes (one thread each).

    Skips a test where the extra 't86audit[dask]' is not installed. One cluster per module.
    """
    distributed = pytest.importorskip("distributed", reason="needs the extra 't86audit[dask]'")
    pytest.importorskip("dask.dataframe", reason="needs the extra 't86audit[dask]'")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port: runs side by side never clash on 8787
        silence_logs=40,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()
