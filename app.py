"""reassess: the router. Resolves who is looking, lists the pages their role may open."""

from functools import partial

import streamlit as st

from reassess.access import PAGES, pages_for
from reassess.ui.context import VIA_APP_KEY, refuse_page
from reassess.ui.shell import render_shell

st.set_page_config(page_title="reassess", page_icon=":material/fact_check:", layout="wide")
st.session_state[VIA_APP_KEY] = True
ctx = render_shell()
pages = [
    st.Page(f"pages/{spec.page_id}.py", title=spec.title, icon=spec.icon, url_path=spec.page_id)
    for spec in pages_for(ctx.role)
]
# A page the role may not open keeps its URL, hidden from the menu, so that a typed or pasted
# link is refused in words and recorded (access_denied) instead of Streamlit's "page not found".
refused = [
    st.Page(
        partial(refuse_page, ctx, spec.page_id),
        title=spec.title,
        url_path=spec.page_id,
        visibility="hidden",
    )
    for spec in PAGES
    if spec not in pages_for(ctx.role)
]
# The root URL is a hidden landing page that forwards to the role's first page, so that every
# real page has its own URL (/overview, /briefing ...) and a pasted link always names its page.
home = st.Page(
    lambda: st.switch_page(pages[0], query_params=st.query_params.to_dict()),
    title="Home",
    url_path="home",
    default=True,
    visibility="hidden",
)
st.navigation([home, *pages, *refused]).run()
