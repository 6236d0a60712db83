"""Languages in Dutch words: "turks" → ``tr``, "arabisch" → ``ar`` (ISO 639-1, as stored on
professionals). Pure: no Flask, no database.

The search index holds a professional's languages as words ``taal<code>`` (migration
0014_search); a query word that names a language also matches that word.
"""

from __future__ import annotations

# Normalised (lower case, no accents) Dutch names of languages → ISO 639-1.
LANGUAGE_WORDS: dict[str, str] = {
    "nederlands": "nl", "engels": "en", "duits": "de", "frans": "fr", "spaans": "es",
    "portugees": "pt", "italiaans": "it", "pools": "pl", "roemeens": "ro", "bulgaars": "bg",
    "hongaars": "hu", "tsjechisch": "cs", "slowaaks": "sk", "grieks": "el", "russisch": "ru",
    "oekraiens": "uk", "turks": "tr", "arabisch": "ar", "koerdisch": "ku", "perzisch": "fa",
    "farsi": "fa", "pasjtoe": "ps", "pashto": "ps", "somalisch": "so", "tigrinya": "ti",
    "tigrinja": "ti", "amhaars": "am", "hindi": "hi", "urdu": "ur", "bengaals": "bn",
    "punjabi": "pa", "tamil": "ta", "chinees": "zh", "mandarijn": "zh", "vietnamees": "vi",
    "thais": "th", "indonesisch": "id", "japans": "ja", "koreaans": "ko", "servisch": "sr",
    "kroatisch": "hr", "bosnisch": "bs", "albanees": "sq", "armeens": "hy", "georgisch": "ka",
    "hebreeuws": "he", "swahili": "sw", "fries": "fy", "zweeds": "sv", "noors": "no",
    "deens": "da", "fins": "fi", "lets": "lv", "litouws": "lt", "ests": "et",
    "sloveens": "sl", "macedonisch": "mk", "azerbeidzjaans": "az", "oezbeeks": "uz",
    "tsjetsjeens": "ce", "lingala": "ln", "yoruba": "yo", "twi": "tw",
}

# "turkstalig", "arabischsprekend": the language's own word with a suffix.
_SUFFIXES = ("talig", "taligen", "sprekend", "sprekende")

INDEX_PREFIX = "taal"


def language_code(word: str) -> str | None:
    """The ISO 639-1 code a normalised query word names, or None."""
    if word in LANGUAGE_WORDS:
        return LANGUAGE_WORDS[word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in LANGUAGE_WORDS:
            return LANGUAGE_WORDS[word[: -len(suffix)]]
    return None


def index_word(code: str) -> str:
    """The word the search index holds for a language: ``taaltr``."""
    return INDEX_PREFIX + code.lower()
