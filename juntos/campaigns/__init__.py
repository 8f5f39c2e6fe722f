"""Campaigns: joint campaigns, partners, responsibilities, commitments, calls to action."""
