"""The dashboard's platform-neutral half: signed links and sessions (signing.py) and the
figures of each page (pages.py, review.py), read through the same paths as chat. bot/web renders
them as HTML."""
