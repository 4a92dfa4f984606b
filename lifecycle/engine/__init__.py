"""What sends proactive messages: touchpoint handlers, policy, the durable scheduler, templates and the outbox."""
