"""The QMS frame's writers, one file per area (actions/<area>.py). Each is the only
writer of its records: `verb_noun(*, actor, ...)`, audited in the same transaction."""
