"""E-mail: an outbox written in the change's own transaction, and a sender that sends it once."""
