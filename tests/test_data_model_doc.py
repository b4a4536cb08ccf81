"""docs/data-model.md cannot drift from the code: every name it marks
implemented exists in the registry (model, field, selection values, method),
and no name it marks planned exists yet."""

import pathlib
import re

from odoo.tests import TransactionCase, tagged

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "data-model.md"
MODEL = re.compile(r"^### `([a-z_.]+)`$")
MODEL_STATUS = re.compile(r"^Status: (implemented|planned)\.")
ROW = re.compile(r"^\| `(\w+)(\(\))?` \| (implemented|planned) \|([^|]*)\|")


def parse(text):
    """``[(model, model_status, name, is_method, status, values)]``: one entry
    per model (name None) and per name of its table."""
    entries, model, model_status = [], None, None
    for line in text.splitlines():
        if match := MODEL.match(line):
            model, model_status = match[1], None
        elif model and not model_status and (match := MODEL_STATUS.match(line)):
            model_status = match[1]
            entries.append((model, model_status, None, False, model_status, []))
        elif model and (match := ROW.match(line)):
            name, parens, status, values = match.groups()
            values = values.split("`")[1::2]
            entries.append((model, model_status, name, bool(parens), status, values))
    return entries


@tagged("post_install", "-at_install")
class TestDataModelDoc(TransactionCase):
    def test_the_reference_matches_the_registry(self):
        entries = parse(DOC.read_text(encoding="utf-8"))
        self.assertGreater(len(entries), 100, "the reference was read")
        problems = []
        for model, model_status, name, is_method, status, values in entries:
            label = f"{model}.{name}" if name else model
            if model_status == "planned" and status == "implemented":
                problems.append(f"{label} is implemented in a planned model")
            exists, known_values = self._lookup(model, name, is_method)
            if status == "planned" and exists:
                problems.append(f"{label} exists now: mark it implemented")
            elif status == "implemented" and not exists:
                problems.append(f"{label} is marked implemented but does not exist")
            elif status == "implemented" and values:
                missing = set(values) - set(known_values)
                if missing:
                    problems.append(f"{label} lacks the values {sorted(missing)}")
        self.assertFalse(problems, "\n".join(problems))

    def _lookup(self, model, name, is_method):
        """``(exists, selection values)`` of a model, field or method."""
        if model not in self.env:
            return False, []
        records = self.env[model]
        if name is None:
            return True, []
        if is_method:
            return callable(getattr(records, name, None)), []
        field = records._fields.get(name)
        if field is None:
            return False, []
        if field.type != "selection":
            return True, []
        return True, [key for key, _label in field._description_selection(self.env)]
