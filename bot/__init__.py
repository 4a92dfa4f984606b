"""Runs inside the Rasa server: the WhatsApp Cloud API channel and NLU components."""
