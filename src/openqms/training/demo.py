"""Demo training records (filled in below once the pages exist)."""


def seed_training(password: str) -> None:
    return None
