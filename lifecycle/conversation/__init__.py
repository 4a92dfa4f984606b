"""What Sauda answers inside a conversation (called by the actions)."""
