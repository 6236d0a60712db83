"""The web layer every blueprint shares: argument parsing (``args``), the form kit (``forms``),
fetch-or-404 (``get_or_404``) and commit-or-say-why (``commit_or_flash``). One rule each, so a
page cannot drift from the others."""

from netwerk.web.args import (
           MAX_ID,
           BadArgument,
           arg_enum,
           arg_id,
           arg_int,
           arg_page,
           parse_id,
           parse_int,
)
from netwerk.web.commit import commit_or_flash
from netwerk.web.fetch import get_or_404, own_account

__all__ = ["MAX_ID", "BadArgument", "arg_enum", "arg_id", "arg_int", "arg_page", "commit_or_flash",
           "get_or_404", "own_account", "parse_id", "parse_int"]
