"""Hypothesis strategies the API fuzz tests share."""

from hypothesis import strategies as st


def json_bodies(keys: list[str]) -> st.SearchStrategy:
    """Any JSON value, with objects keyed mostly by the API's own field names."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=30),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), children, max_size=6)
        ),
        max_leaves=10,
    )
