"""The print view of a page: static tables with every row and column, charts as images.

The interactive grid draws only the rows and columns in view, and a live chart keeps the width
of the screen, so neither prints whole. `?print=1` in a page's URL swaps them for a static table
and the same chart image as the PDF, and opens what the screen keeps folded.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd
import streamlit as st


def print_view() -> bool:
    """True when the URL asks for the print view (`?print=1`)."""
    return st.query_params.get("print") == "1"


def print_view_link() -> None:
    """A link between the interactive page and its print view, keeping the rest of the URL."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "print"}
    if print_view():
        st.markdown(f"[Back to the interactive page](?{urlencode(params)})")
        st.caption(
            "Print view: every row and column, the charts as images and every section open. "
            "Use the browser's Print (A4 portrait); the marking and page numbers are on every sheet."
        )
    else:
        st.markdown(f"[Open the print view](?{urlencode({**params, 'print': '1'})})")


def data_table(frame: pd.DataFrame, key: str) -> None:
    """The interactive grid on screen; a static table, every row and column, in the print view."""
    if print_view():
        st.table(frame, hide_index=True)
    else:
        st.dataframe(frame, hide_index=True, key=key)


def chart(show_live: Callable[[], object], image: Callable[[], bytes], alt: str) -> None:
    """The live chart on screen; the same chart as a static image in the print view."""
    if print_view():
        st.image(image(), alt=alt, width="stretch")
    else:
        show_live()


def section(title: str) -> st.delta_generator.DeltaGenerator:
    """An expander on screen; an open section with a heading in the print view."""
    if print_view():
        st.subheader(title)
        return st.container()
    return st.expander(title)
