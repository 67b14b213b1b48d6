"""The team console: queue, tickets, listings and overview in a browser.

Its own process: `python -m bot serve console`.
"""
