"""Juntos: campaign and advocacy coordination for networks of civil-society organisations."""

__version__ = "0.1.0"
