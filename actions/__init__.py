"""rasa-sdk actions: thin adapters from the dialogue to knowledge/ and lifecycle/."""
