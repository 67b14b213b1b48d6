"""Strengths notes: `notes` (the data) and `feature` (the chat and the feature's declaration)."""
