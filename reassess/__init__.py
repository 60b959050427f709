"""reassess: an operational progress dashboard for a police case review programme."""

__version__ = "0.1.0"
