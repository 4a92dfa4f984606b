"""Engagement flows built on the engine: cart recovery, win-back, CSAT, and the loop that starts them."""
