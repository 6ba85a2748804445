"""An explanation line as JSON: how the page, the stored allocation and the API all keep it."""


def line_json(line) -> dict:
    """One engine.Line as plain values; money as a string with two decimals."""
    data = {
        "kind": line.kind,
        "domain": line.domain_title,
        "question_code": line.question_code,
        "question": line.question_text,
        "option_code": line.option_code,
        "answer": line.answer_label,
        "points": line.points,
        "amount": None if line.amount is None else f"{line.amount:.2f}",
        "text": line.text,
    }
    if getattr(line, "service", None):  # a cost-rate line: units of a service at its rate
        data["service"] = line.service
        data["units"] = format(line.units.normalize(), "f")
        data["rate"] = f"{line.rate:.2f}"
    return data
