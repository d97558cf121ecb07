"""Local read API: the mirrored meetings served from the database, no Calendly call."""
