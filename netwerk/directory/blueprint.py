"""The directory blueprint. Its pages live in views.py and its files (vCards, QR codes,
photos) in card_views.py; both import ``bp`` from here, so neither imports the other."""

from __future__ import annotations

from flask import Blueprint

from netwerk.phone import offers_messages

bp = Blueprint("directory", __name__)
# ``number|offers_messages(personal_mobile)``: Sms/WhatsApp only for a mobile number.
bp.add_app_template_filter(
    lambda number, personal_mobile=False: offers_messages(number, personal_mobile=personal_mobile),
    "offers_messages",
)
