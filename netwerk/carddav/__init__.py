"""Address books the phone syncs: "Mijn wijken" and "Favorieten" over CardDAV (docs/directory.md,
"Op je telefoon").

Radicale (a CalDAV/CardDAV server) speaks WebDAV; netwerk gives it three plugins over its own
data: ``auth`` (e-mail + app password), ``rights`` (read-only, one's own books only) and
``storage`` (the books as vCards made by netwerk/directory/cards.py). ``views`` mounts Radicale's
WSGI application under ``/carddav/`` inside a Flask request, so the plugins use the request's
database session and the throttle's storage.
"""
