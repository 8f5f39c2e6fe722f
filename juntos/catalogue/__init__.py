"""Civic action idea catalogue: ideas, case stories, search, contribution and review."""
