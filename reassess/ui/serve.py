"""`python -m reassess.ui.serve [streamlit options]`: serve app.py with its own router always in charge.

Streamlit treats a folder named `pages/` beside the entrypoint as a legacy multipage app: until
app.py has called st.navigation once in the process, a URL such as /workload runs
pages/workload.py directly, skipping app.py (its sign-in, role and page list) and showing every
page in the menu. This launcher turns that legacy mode off before the server starts, so every
run goes through app.py. (Pages also check the role themselves, so access holds either way.)
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def main(argv: list[str] | None = None) -> None:
    """Start `streamlit run app.py` in this process with the legacy pages/ mode off."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    args = sys.argv[1:] if argv is None else argv
    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
