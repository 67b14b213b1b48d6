"""The referral directory: listings of groups and places, search, import and the chat side.

`places` knows place names, `search` turns a message into results, `importer` reads and writes
coordinators' files, `chat` is the gateway's part (results, buttons, coordinator commands).
"""
