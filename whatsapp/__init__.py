"""The WhatsApp Cloud API toolkit (stdlib + httpx): typed webhook updates, send payloads, signatures, the Graph API client and Meta's error codes."""
