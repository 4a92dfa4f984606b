"""The shop's events: schemas, validation and applying them."""
