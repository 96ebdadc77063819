"""The api app's real migrations plus one that is never applied: a deploy with pending migrations."""
