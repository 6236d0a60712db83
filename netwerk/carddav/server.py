"""The Radicale application netwerk mounts under ``/carddav/`` (one per Flask app, made on the
first CardDAV request: importing Radicale costs time no other page should pay)."""

from __future__ import annotations

import logging

from flask import Flask

REALM = "netwerk adresboek"


def radicale_config():
    from radicale import config

    configuration = config.load()
    configuration.update({
        "auth": {"type": "netwerk.carddav.auth", "realm": REALM,
                 # netwerk throttles failures itself (netwerk/carddav/throttle.py)
                 "delay": "0", "cache_logins": "False"},
        "rights": {"type": "netwerk.carddav.rights"},
        "storage": {"type": "netwerk.carddav.storage"},
        # No web interface, no sharing, no hooks: only the two read-only books.
        "web": {"type": "none"},
        "sharing": {"type": "none"},
        "hook": {"type": "none"},
        "logging": {"mask_passwords": "True"},
        # A REPORT or PROPFIND body is a few kilobytes.
        "server": {"max_content_length": "1000000", "max_resource_size": "800000"},
    }, "netwerk", privileged=True)
    return configuration


def radicale_app(app: Flask):
    """The app's Radicale ``Application`` (made once)."""
    found = app.extensions.get("netwerk_carddav")
    if found is None:
        import radicale

        # Radicale logs every request at INFO; netwerk's audit log holds what matters.
        logging.getLogger("radicale").setLevel(logging.WARNING)
        found = app.extensions["netwerk_carddav"] = radicale.Application(radicale_config())
    return found
