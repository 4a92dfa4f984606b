"""The customer side: webhooks as Meta would post them when a customer writes, and the web chat."""
