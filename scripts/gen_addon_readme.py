#!/usr/bin/env python3
"""Writes each add-on's README.rst from its manifest and its readme/ fragments
(DESCRIPTION, CONFIGURE, USAGE, CONTRIBUTORS, ...), in the layout of OCA's
add-on READMEs. With --check, changes nothing and fails when a README.rst is
missing or out of date.

    scripts/gen_addon_readme.py [--check] [ADDON_DIR ...]

Without ADDON_DIR: every add-on of the repository. The fragments are written
in the Markdown of OCA's readme/ folders (paragraphs, lists, *emphasis*,
**strong**, `code`, [links](url)); that subset is converted to
reStructuredText.
"""

import argparse
import ast
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION", None),
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
CREDITS = [("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")]
LICENSE_BADGES = {
    "LGPL-3": "https://img.shields.io/badge/licence-LGPL--3-blue.png",
    "AGPL-3": "https://img.shields.io/badge/licence-AGPL--3-blue.png",
}
HEADER = """\
..
   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
   !! This file is generated from readme/ and the      !!
   !! manifest by scripts/gen_addon_readme.py: changes !!
   !! made here are overwritten.                       !!
   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def markdown_to_rst(text):
    """The Markdown subset of readme/ fragments as reStructuredText."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`__", text)
    text = re.sub(r"(?<![`\w])`([^`\n]+)`(?![`_\w])", r"``\1``", text)
    return text.strip() + "\n"


def title(text, char):
    return f"{text}\n{char * len(text)}\n"


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    readme = addon / "readme"

    def fragment(name):
        path = readme / f"{name}.md"
        return (
            markdown_to_rst(path.read_text(encoding="utf-8")) if path.exists() else ""
        )

    name = manifest["name"]
    license_ = manifest.get("license", "LGPL-3")
    parts = [
        HEADER,
        "=" * len(name) + "\n" + title(name, "="),
        f"|badge1|\n\n.. |badge1| image:: {LICENSE_BADGES[license_]}\n"
        f"    :target: http://www.gnu.org/licenses/{license_.split('-')[0].lower()}"
        "-3.0-standalone.html\n"
        f"    :alt: License: {license_}\n",
    ]
    for key, heading in SECTIONS:
        body = fragment(key)
        if body and heading is None:
            parts += [body, "**Table of contents**\n\n.. contents::\n   :local:\n"]
        elif body:
            parts += [title(heading, "="), body]
    parts += [
        title("Bug Tracker", "="),
        f"Bugs are tracked on `GitHub Issues <{manifest['website']}/issues>`_.\n",
        title("Credits", "="),
        title("Authors", "-"),
        "".join(f"- {author.strip()}\n" for author in manifest["author"].split(",")),
    ]
    for key, heading in CREDITS:
        body = fragment(key)
        if body:
            parts += [title(heading, "-"), body]
    return "\n".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("addons", nargs="*", type=pathlib.Path)
    args = parser.parse_args(argv)
    addons = args.addons or sorted(p.parent for p in REPO.glob("*/__manifest__.py"))
    stale = []
    for addon in addons:
        target = addon / "README.rst"
        text = render(addon)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(target))
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    if stale:
        print(
            "out of date (run scripts/gen_addon_readme.py): " + ", ".join(stale),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
