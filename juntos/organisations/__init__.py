"""Organisations: the shared entity every area refers to, and membership of networks."""
