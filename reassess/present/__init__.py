"""Presentation without Streamlit: every label, number, date and marking a person reads.

``vocabulary`` (one display form per code), ``formats`` (UK dates and numbers), ``marking``
(the protective marking), ``narrative`` (sentences from the figures), ``csvsafe`` (formula-safe
CSV), the tables pages show (``breakdowns``, ``quality``, ``cases``, ``audit``, ``filter_state``)
and ``charts`` (plotly figures from DataFrames).
"""
