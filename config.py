"""Configuration of netwerk, read from environment variables.

The classes live in ``netwerk/settings.py`` (so an installed netwerk needs no top-level module);
this file keeps ``from config import Config, TestConfig`` working in a source checkout.
"""

from netwerk.settings import INSTANCE_DIR, Config, TestConfig

__all__ = ["INSTANCE_DIR", "Config", "TestConfig"]
