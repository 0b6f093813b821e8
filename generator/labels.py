"""The few words a template prints itself, per language (English when a language is missing)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {"page": "Page", "of": "of", "contact": "Contact", "read_online": "Read the full brief "
           "online", "accessed": "accessed", "placeholder": "placeholder", "footnotes": "Notes",
           "date": "Date", "qr_alt": "QR code linking to", "published_by": "Published by"},
    "nl": {"page": "Pagina", "of": "van", "contact": "Contact", "read_online": "Lees de volledige "
           "brief online", "accessed": "geraadpleegd", "placeholder": "placeholder",
           "footnotes": "Noten", "date": "Datum", "qr_alt": "QR-code met een link naar",
           "published_by": "Uitgegeven door"},
    "de": {"page": "Seite", "of": "von", "contact": "Kontakt", "read_online": "Das vollständige "
           "Briefing online lesen", "accessed": "abgerufen", "placeholder": "Platzhalter",
           "footnotes": "Anmerkungen", "date": "Datum", "qr_alt": "QR-Code mit Link zu",
           "published_by": "Herausgegeben von"},
    "fr": {"page": "Page", "of": "sur", "contact": "Contact", "read_online": "Lire la note "
           "complète en ligne", "accessed": "consulté le", "placeholder": "à compléter",
           "footnotes": "Notes", "date": "Date", "qr_alt": "Code QR renvoyant vers",
           "published_by": "Publié par"},
}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language.split("-", maxsplit=1)[0], LABELS["en"])


def format_date(value: str, language: str) -> str:
    """`2022-11-08` → `8 november 2022` (`November 2022`, `2022` for partial dates)."""
    months = MONTHS.get(language.split("-", maxsplit=1)[0], MONTHS["en"])
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = months[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"
