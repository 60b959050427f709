"""Pure chart builders: DataFrames in, plotly figures out (tests inspect them)."""
