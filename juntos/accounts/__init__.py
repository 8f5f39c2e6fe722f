"""Accounts: users, their roles, passwords, login throttling and the authorisation policy."""
