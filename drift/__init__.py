"""drift: measure where marketing, sales reps and buyers stop meaning the same thing."""

__version__ = "0.1.0"
