"""Sign-in, roles, and the one place that decides who may see what (``policy``)."""
