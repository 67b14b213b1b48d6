"""Herstelgids: a peer-support companion on Telegram for people in mental-health recovery."""
