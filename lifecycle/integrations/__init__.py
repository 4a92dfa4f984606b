"""Other systems the lifecycle talks to: Rasa, couriers, signed merchant webhooks."""
