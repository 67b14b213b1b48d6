"""`make bench`: load, latency and resource figures for Herstelgids against plain Rasa."""
