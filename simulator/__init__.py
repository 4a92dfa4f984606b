"""WhatsApp Cloud API simulator (development and tests only)."""
