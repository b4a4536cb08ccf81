"""A labelled set of ticket texts for measuring duplicate detection, read
from ``data/duplicate_samples.json``.

Each family is one incident reported several ways: the first report, a
rewording, and a report in another language of the product's customers
(and the machine it is about, where it is about one). Typing errors are
made from the first report by ``with_typos``. The unrelated requests are no
family's duplicate."""

import json
import pathlib

SAMPLES = json.loads(
    (pathlib.Path(__file__).parent / "data" / "duplicate_samples.json").read_text(
        encoding="utf-8"
    )
)

# The machine of the incidents that are about one (by family).
EQUIPMENT = {
    index: family["equipment"]
    for index, family in enumerate(SAMPLES["families"])
    if family.get("equipment")
}


def with_typos(text):
    """The text as typed in a hurry: a transposition in every third word and
    a dropped letter in the words after them (longer words only)."""
    words = text.split(" ")
    for index, word in enumerate(words):
        if len(word) < 5:
            continue
        if index % 3 == 0:
            words[index] = word[:2] + word[3] + word[2] + word[4:]
        elif index % 3 == 1:
            words[index] = word[:3] + word[4:]
    return " ".join(words)


def labelled_reports():
    """``[(family index or None, kind, title, description)]``: every
    family's four reports (kinds ``first``, ``reworded``, ``language``,
    ``typos``), then the unrelated requests (kind ``other``)."""
    reports = []
    for index, family in enumerate(SAMPLES["families"]):
        first = family["first"]
        reports += [
            (index, kind, family[kind]["title"], family[kind]["description"])
            for kind in ("first", "reworded", "language")
        ]
        reports.append(
            (
                index,
                "typos",
                with_typos(first["title"]),
                with_typos(first["description"]),
            )
        )
    reports += [
        (None, "other", request["title"], request["description"])
        for request in SAMPLES["unrelated"]
    ]
    return reports
