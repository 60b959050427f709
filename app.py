"""reassess: the router. Resolves who is looking, lists the pages their role may open."""

import streamlit as st

from reassess.access import pages_for
from reassess.ui.context import VIA_APP_KEY
from reassess.ui.shell import render_shell

st.set_page_config(page_title="reassess", page_icon=":material/fact_check:", layout="wide")
st.session_state[VIA_APP_KEY] = True
ctx = render_shell()
pages = [
    st.Page(f"pages/{spec.page_id}.py", title=spec.title, icon=spec.icon, url_path=spec.page_id)
    for spec in pages_for(ctx.role)
]
st.navigation(pages).run()
