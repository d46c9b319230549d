import os

# Small matrices: OpenBLAS threads only contend on a 2-core machine. Before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of the test's own (default models, histories, renders): use it with
    ``pytestmark = pytest.mark.usefixtures("private_cache")``."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("RNN3D_CACHE", str(cache))
    return cache
