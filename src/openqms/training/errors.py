"""Training raises the core's domain errors (InvalidInput, TransitionNotAllowed…); this
module names the messages that several actions share."""

from openqms.core.errors import TransitionNotAllowed


def superseded(revision, current) -> TransitionNotAllowed:
    newer = f"; the current revision is {current.label}: train on that one" if current else ""
    return TransitionNotAllowed(
        f"{revision} is {revision.get_state_display()}{newer}. "
        "A training on one revision does not count for another."
    )
