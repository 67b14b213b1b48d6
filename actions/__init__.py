"""Thin rasa-sdk actions: read the tracker, call one function of `bot/`, return events.

rasa-sdk imports every module here and instantiates every Action subclass, so nothing in this
package opens files, engines or clients at import time.
"""
