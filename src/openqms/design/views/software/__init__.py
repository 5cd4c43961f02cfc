"""IEC 62304 pages: software systems and their checklist, items, problem reports, the
SOUP list with its review dialog and SBOM imports (pages.py); the posts that change them
through design.actions.software (posts.py), plain POST-redirect-GET."""
