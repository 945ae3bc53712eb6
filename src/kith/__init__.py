"""kith: a relationship manager for people who network."""
