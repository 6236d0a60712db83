"""A real OpenID Connect provider for the SSO tests: ``oidc-provider-mock`` as a subprocess.

Signing in at it is a POST of ``sub=<subject>`` to its authorisation URL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def provider(users: list[dict]):
    """Start the provider with ``users`` (claims with ``sub``); yields its issuer URL."""
    port = free_port()
    exe = Path(sys.executable).with_name("oidc-provider-mock")
    args = [str(exe), "--host", "127.0.0.1", "--port", str(port), "--require-nonce", "true"]
    for claims in users:
        args += ["--user-claims", json.dumps(claims)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=os.environ | {"PYTHONWARNINGS": "ignore"})
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("oidc-provider-mock did not start") from None
                time.sleep(0.2)
        yield issuer
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
