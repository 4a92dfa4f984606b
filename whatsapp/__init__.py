"""The WhatsApp Cloud API toolkit (stdlib + httpx): typed webhook updates, send payloads,
signatures, the Graph API client, the retry policy and Meta's error codes."""
