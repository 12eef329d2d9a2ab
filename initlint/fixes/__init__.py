"""Fixes: the engine applies text edits; one fixer per source kind turns fix intents into edits."""
