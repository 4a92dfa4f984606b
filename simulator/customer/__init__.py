"""The customer side: what a customer sends (as Meta would post it to the bot), transcripts, and the web chat."""
