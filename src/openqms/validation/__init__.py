"""Validation of the installed software (ISO 13485 4.1.6): `openqms validate`.

This version runs the installation qualification (IQ, `iq.py`) against the release
artefacts `release/build.py` makes: the manifest of installed files (`manifest.py`) and
the lock file of pinned dependencies (`lock.py`). The operational qualification and the
signed report come in a later version.
"""
