"""Use cases: the only layer that joins the Calendly client and the models."""
