"""Validation of the installed software (ISO 13485 4.1.6): `openqms validate`.

The installation qualification (IQ, `iq.py`) checks the instance against the release
artefacts `release/build.py` makes: the manifest of installed files (`manifest.py`) and
the lock file of pinned dependencies (`lock.py`). The operational qualification (OQ,
`oq.py`) runs the test set the wheel carries (`suite.py`) on a scratch database of the
instance's engine with the instance's configuration (`config_snapshot.py`). The report
(`compose.py`, `verdicts.py`, `delta.py`, `pdf.py`) is stored as a record a QA lead
approves by signature (`actions.py`); `upgrade.py` writes the upgrade event.
"""
