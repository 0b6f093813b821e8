"""An image whose file name Markdown cannot take as written (letters outside ASCII, `%20`) is
an error that says to rename the file — not the advice for a link target (the review's
finding 17: "link target … is not allowed; use an http(s):// or mailto: address")."""

from __future__ import annotations

import pytest

from generator.text import lint

from .support import TINY, run_cli, tiny_png, write


@pytest.mark.parametrize("src,plain", [
    ("grafico-è.png", "grafico-e.png"),
    ("my%20chart.png", "my-chart.png"),
    ("Übersicht_2024.svg", "Ubersicht_2024.svg"),
    ("χάρτης.png", ""),
])
def test_an_image_name_outside_plain_letters_is_one_error_that_says_to_rename_it(src, plain):
    text = f"Text.\n\n![Chart]({src} \"Caption\")"
    found = lint.problems(text, set(), "en")
    suggestion = f" (e.g. {plain!r})" if plain else ""
    assert [(p.offset, p.message) for p in found] == [
        (7, f"image {src!r}: a file name may only hold the letters a–z and A–Z, digits, `-`, "
            f"`_` and `.`; rename the file{suggestion} and write that name here")]


def test_a_link_keeps_the_link_advice():
    found = [p.message for p in lint.problems("See [this](ftp://example.org/x).", set(), "en")]
    assert ("link target 'ftp://example.org/x' is not allowed; use an http(s):// or mailto: "
            "address") in found and not any("rename" in message for message in found)


def test_check_says_it_at_the_image_s_line(project):
    write(project, TINY.replace('nl: "Tekst.[@src]"', 'nl: "![Grafiek](grafico-è.png) '
                                'Tekst.[@src]"'))
    (project.content / "tiny" / "grafico-è.png").write_bytes(tiny_png())
    result = run_cli(project, "check", "tiny")
    assert result.exit_code == 1
    assert ("content/tiny/brief.yaml:9:" in result.output
            and "image 'grafico-è.png': a file name may only hold" in result.output
            and "mailto" not in result.output), result.output


@pytest.mark.parametrize("src", ["../outside/chart.png", "/etc/chart.png", "file:///x.png"])
def test_a_path_out_of_the_folder_keeps_its_refusal(src):
    """Not a name to rename: a path out of the folder or an address (test_confinement holds
    what these say)."""
    found = [p.message for p in lint.problems(f"![Chart]({src})", set(), "en")]
    assert found and not any("rename" in message for message in found), found
