"""Validation plugs itself in here (the checklist: docs/adding-a-module.md).

It adds a command (`openqms validate`) and no pages, jobs or records yet: the
installation qualification reads the instance and writes nothing to it."""

from openqms.core.modules import Module
from openqms.validation.requirements import REQUIREMENTS

module = Module(label="validation", requirements=REQUIREMENTS)
