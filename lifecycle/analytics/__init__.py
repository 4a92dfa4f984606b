"""Merchant analytics: one definition per number (``metrics.METRICS``), aggregate SQL per breakdown."""
