"""languages: a language code as a person writes it → what is wrong with it, and the code to use.

Brief accepts ISO 639-1 codes in lower case (`pl`), optionally with a region in capitals
(`pl-PL`), as HTML's `lang` wants them. People write `PL`, `pl_PL`, `Polski`, `pol` or a
country code (`ua` for Ukrainian, `gr` for Greek); each gets a message naming the code to use.
"""

from __future__ import annotations

import re

#: What brief accepts: `pl`, or `pl-PL` (language in lower case, region in capitals); a
#: three-letter code only for a language that has no two-letter one.
LANGUAGE_RE = re.compile(r"^([a-z]{2,3})(-[A-Z]{2})?$")

#: The languages of the EU and its neighbours: ISO 639-1 code → English name.
NAMES = {
    "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fi": "Finnish", "fr": "French", "fy": "Frisian", "ga": "Irish",
    "gl": "Galician", "hr": "Croatian", "hu": "Hungarian", "is": "Icelandic", "it": "Italian",
    "lb": "Luxembourgish", "lt": "Lithuanian", "lv": "Latvian", "mt": "Maltese", "nl": "Dutch",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "tr": "Turkish", "uk": "Ukrainian", "ar": "Arabic", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean",
}

#: Names people write instead of the code: in English and in the language itself (lower case).
_BY_NAME = {name.lower(): code for code, name in NAMES.items()} | {
    "български": "bg", "català": "ca", "čeština": "cs", "cesky": "cs", "česky": "cs",
    "dansk": "da", "deutsch": "de", "ελληνικά": "el", "español": "es", "espanol": "es",
    "castellano": "es", "eesti": "et", "euskara": "eu", "suomi": "fi", "français": "fr",
    "francais": "fr", "frysk": "fy", "gaeilge": "ga", "galego": "gl", "hrvatski": "hr",
    "magyar": "hu", "íslenska": "is", "italiano": "it", "lëtzebuergesch": "lb",
    "lietuvių": "lt", "latviešu": "lv", "malti": "mt", "nederlands": "nl", "vlaams": "nl",
    "flemish": "nl", "norsk": "no", "polski": "pl", "português": "pt", "portugues": "pt",
    "română": "ro", "romana": "ro", "русский": "ru", "slovenčina": "sk", "slovenščina": "sl",
    "shqip": "sq", "српски": "sr", "svenska": "sv", "türkçe": "tr", "українська": "uk",
    "polnisch": "pl", "polonais": "pl", "allemand": "de", "anglais": "en", "englisch": "en",
    "französisch": "fr", "niederländisch": "nl", "néerlandais": "nl",
}

#: Country codes (and other look-alikes) people take for language codes.
_CONFUSED = {
    "ua": ("uk", "UA is Ukraine's country code"), "gr": ("el", "GR is Greece's country code"),
    "cz": ("cs", "CZ is the Czech Republic's country code"),
    "dk": ("da", "DK is Denmark's country code"), "at": ("de", "AT is Austria's country code"),
    "jp": ("ja", "JP is Japan's country code"), "cn": ("zh", "CN is China's country code"),
    "al": ("sq", "AL is Albania's country code"), "rs": ("sr", "RS is Serbia's country code"),
    "gb": ("en", "GB is the United Kingdom's country code"),
    "ge": ("de", "GE is Georgia's country code"), "sp": ("es", "it is no code at all"),
    "po": ("pl", "it is no code at all"),
}

#: Three-letter codes (ISO 639-2, both forms) of the languages above.
_THREE_LETTER = {
    "bul": "bg", "cat": "ca", "ces": "cs", "cze": "cs", "cym": "cy", "wel": "cy", "dan": "da",
    "deu": "de", "ger": "de", "ell": "el", "gre": "el", "eng": "en", "spa": "es", "est": "et",
    "eus": "eu", "baq": "eu", "fin": "fi", "fra": "fr", "fre": "fr", "fry": "fy", "gle": "ga",
    "glg": "gl", "hrv": "hr", "hun": "hu", "isl": "is", "ice": "is", "ita": "it", "ltz": "lb",
    "lit": "lt", "lav": "lv", "mlt": "mt", "nld": "nl", "dut": "nl", "nor": "no", "pol": "pl",
    "por": "pt", "ron": "ro", "rum": "ro", "rus": "ru", "slk": "sk", "slo": "sk", "slv": "sl",
    "sqi": "sq", "alb": "sq", "srp": "sr", "swe": "sv", "tur": "tr", "ukr": "uk", "ara": "ar",
    "zho": "zh", "chi": "zh", "jpn": "ja", "kor": "ko",
}


def _named(code: str) -> str:
    name = NAMES.get(code)
    return f"{code!r} ({name})" if name else repr(code)


def language_problem(value: str) -> str | None:  # noqa: PLR0911 — a return per kind of mistake
    """What is wrong with a language code as written, and what to write; None when it is fine.

    The message starts with the value: "'PL' is not a language code; use lower case: 'pl'".
    """
    lowered = value.strip().lower()
    if lowered in _CONFUSED:
        code, why = _CONFUSED[lowered]
        return f"{value!r} is not a language code ({why}); use {_named(code)}"
    match = LANGUAGE_RE.match(value)
    if match and match[2] == "-UK":
        return (f"{value!r} is not a language code: the United Kingdom's region code is GB; "
                f"write {match[1] + '-GB'!r} or just {match[1]!r}")
    if match and match[1] not in _THREE_LETTER:
        return None
    if value.isalpha() and len(value) == 2 and lowered.isascii():
        return f"{value!r} is not a language code; use lower case: {lowered!r}"
    region = re.fullmatch(r"([A-Za-z]{2})[-_ ]([A-Za-z]{2})", value.strip())
    if region:
        language, country = region[1].lower(), region[2].upper()
        if country == "UK":
            country = "GB"
        return (f"{value!r} is not a language code; write {f'{language}-{country}'!r} (the "
                f"language in lower case, a hyphen, the region in capitals) or just {language!r}")
    base = lowered.split("-", maxsplit=1)[0]
    if base in _THREE_LETTER:
        return (f"{value!r} is a three-letter code; use the two-letter code "
                f"{_named(_THREE_LETTER[base])}")
    if lowered in _BY_NAME:
        return f"{value!r} is not a language code; use {_named(_BY_NAME[lowered])}"
    if ":" in value:
        key, _, rest = value.partition(":")
        return (f"{value!r} is not a language code: a space is missing after the colon; write "
                f"`{key}: {rest}`")
    return (f"{value!r} is not a language code; write the two-letter ISO 639-1 code, such as "
            "'nl', 'en' or 'pl' (or with a region: 'pl-PL')")
