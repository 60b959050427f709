"""Pure chart builders: DataFrames in, plotly/altair figures out (tests inspect them)."""
