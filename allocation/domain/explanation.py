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
        "points": points_json(line.points),
        "amount": None if line.amount is None else f"{line.amount:.2f}",
        "text": line.text,
    }
    if getattr(line, "service", None):  # a cost-rate line: units of a service at its rate
        data["service"] = line.service
        data["units"] = format(line.units.normalize(), "f")
        data["rate"] = f"{line.rate:.2f}"
    return data


def points_json(points):
    """Points as a JSON number: an int when whole, else the float whose shortest form is the
    two-decimal number (2.5); None stays None."""
    if points is None or isinstance(points, int):
        return points
    return int(points) if points == int(points) else float(points)
