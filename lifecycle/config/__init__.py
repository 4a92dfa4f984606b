"""Settings: from the environment, and what the merchant changes on the settings page."""
