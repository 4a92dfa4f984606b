"""The Graph API side: what Sauda sends, checked and answered as Meta would."""
