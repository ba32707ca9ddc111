"""Staff moderation of sellers' first listings (mounted at /staff/moderation/)."""
