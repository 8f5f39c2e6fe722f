"""Social messaging: message kits, variants, waves of posts, and the dispatcher that posts them."""
