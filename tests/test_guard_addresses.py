"""`url:`, the contact's e-mail and url and a source's url are addresses: parsed (urllib.parse,
email.headerregistry), and one with a quotation mark, an angle bracket, a space or a control
character is an error at its line (the review's finding 16: rev-evil2's addresses loaded, and
the canonical address of the web edition was silently garbage)."""

from __future__ import annotations

import pytest

from generator.read.model import email_problem, url_problem

from .support import TINY, run_cli, write


@pytest.mark.parametrize("url", [
    "https://example.org/expert-advice/", "http://example.org", "https://bücher.de/über",
    "https://example.org/a%20b?x=1#top", "https://[2001:db8::1]/", "https://example.org:8443/",
])
def test_web_addresses_pass(url):
    assert url_problem(url) is None


@pytest.mark.parametrize("url,problem", [
    ('https://example.org/evil"><script>alert(5)</script>',
     "holds '\"' (character 25), which no address may hold as written; remove it, or write it "
     "percent-encoded (%22)"),
    ("https://example.org/a b", "holds space (character 22)"),
    ("https://example.org/<x>", "holds '<' (character 21)"),
    ("https://example.org/\x1b[2J", "holds U+001B (character 21)"),
    ("https://example.org/\u202egro", "holds right-to-left override (character 21)"),
    ("www.example.org", "is not an http(s) URL; write it as https://…"),
    ("javascript://example.org/%0aalert(1)", "is not an http(s) URL"),
    ("https:example.org", "is not an http(s) URL"),
    ("https://", "has no host name"),
    ("https://example.org:port/", "is no web address (Port could not be cast"),
    ("https://localhost/", "has the host name 'localhost', which is no domain name"),
    ("https://exa_mple.org/", "has the host name 'exa_mple.org', which is no domain"),
])
def test_what_is_no_web_address_is_said(url, problem):
    found = url_problem(url)
    assert found is not None and found.startswith(problem), found


@pytest.mark.parametrize("email", ["info@ngo.example", "a.b+c@sub.example.org", "a@exämple.org"])
def test_email_addresses_pass(email):
    assert email_problem(email) is None


@pytest.mark.parametrize("email,problem", [
    ('a"onmouseover="alert(6)@example.org', "holds '\"' (character 2), which no address may "
                                            "hold as written; remove it"),
    ("Info <info@ngo.example>", "holds space (character 5)"),
    ("info@ngo.example>", "holds '>' (character 17)"),
    ("zoe(at)example.org", "is not an e-mail address; write it as name@example.org"),
    ("info@", "is not an e-mail address"),
    ("info@ngo", "has the domain 'ngo', which is no domain name"),
])
def test_what_is_no_email_address_is_said(email, problem):
    found = email_problem(email)
    assert found is not None and found.startswith(problem), found


EVIL = TINY.replace('date: "2024-05-01"\n', 'date: "2024-05-01"\n'
                    'url: "https://example.org/evil\\"><script>alert(5)</script>"\n'
                    'contact:\n'
                    '  name: "Team"\n'
                    '  email: "a\\"onmouseover=\\"alert(6)@example.org"\n'
                    '  url: "https://example.org/c\\"onmouseover=\\"alert(7)"\n'
                    ).replace('url: "https://example.org/a"}',
                              'url: "https://example.org/a b"}')


def test_check_says_each_bad_address_at_its_line(project):
    """The review's rev-evil2, through `brief check`: each address at its own line."""
    write(project, EVIL)
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for line, field in ((4, "url"), (7, "contact.email"), (8, "contact.url"),
                        (21, "source 'src', url")):
        assert any(text.startswith(f"content/tiny/brief.yaml:{line}:") and f"{field} '" in text
                   and "which no address may hold as written" in text for text in lines), (
            line, field, result.output)


def test_a_bad_address_in_a_bibliography_file_is_said(project):
    write(project, TINY.replace('sources:\n  src: {title: "Bron", publisher: "Uitgever", '
                                'url: "https://example.org/a"}\n', 'bibliography: refs.json\n')
          .replace("[organisation, sources]", "[organisation]"))
    (project.content / "tiny" / "refs.json").write_text(
        '[{"id": "src", "type": "report", "title": "Bron", "publisher": "Uitgever",\n'
        '  "URL": "https://example.org/a\\"b"}]', encoding="utf-8")
    result = run_cli(project, "check", "tiny")
    assert "refs.json:2:" in result.output and "URL 'https://example.org/a\"b' holds '\"'" in (
        result.output), result.output
