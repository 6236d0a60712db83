"""Build step: the wheel carries templates/, migrations/ and seed_data/ inside the package.

The repository keeps those folders at the top level (the design card); a built wheel copies them
to ``netwerk/_data/`` so an installed netwerk runs ``netwerk init-db`` and ``netwerk demo`` from
any directory (``netwerk.settings.resource_dir`` looks there first). Editable installs read them
from the checkout and copy nothing. All other metadata is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRS = ("templates", "migrations", "seed_data")
HERE = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "netwerk" / "_data"
        for name in DATA_DIRS:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(HERE / name, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithData})
