"""The build's one addition to pyproject.toml (which keeps all of the configuration):
the wheel carries the test suite, so `openqms validate` can run the operational
qualification on an installed instance, and the release notes (CHANGELOG.md).

The repository's tests/ is outside src/ and its files import each other as `tests.x.y`,
so it cannot be a package of its own; build_py copies it as package data to
openqms/validation/suite/tests/. What is copied (and what is left out: compiled files and
the browser journeys) is decided by
src/openqms/validation/suite.py, the same code that copies the suite for a run.
"""

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _suite_module():
    spec = importlib.util.spec_from_file_location(
        "_openqms_suite", ROOT / "src" / "openqms" / "validation" / "suite.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class build_py_with_suite(build_py):
    def run(self):
        super().run()
        tests = ROOT / "tests"
        # An editable install reads the checkout's tests/ directly (suite.locate).
        if getattr(self, "editable_mode", False) or not (tests / "conftest.py").is_file():
            return
        into = Path(self.build_lib) / "openqms" / "validation" / "suite" / "tests"
        _suite_module().copy_tree_for_wheel(tests, into)
        # The release notes, for the customer and for the test that checks them
        # (openqms/validation/changelog.py)
        if (ROOT / "CHANGELOG.md").is_file():
            shutil.copyfile(ROOT / "CHANGELOG.md", into.parents[1] / "data" / "CHANGELOG.md")


setup(cmdclass={"build_py": build_py_with_suite})
