"""An assessment's history in words: each answer given or changed, by whom, and why."""


def _label(definition, code, option_code):
    question = definition.question(code)
    if question is None:
        return code, option_code or "No answer"
    if question.multiple:
        from assessment.views import answer_words

        return question.text, answer_words(question, option_code) or "No answer"
    option = question.option(option_code) if option_code else None
    return question.text, option.label if option else "No answer"


def answer_history(assessment) -> list[dict]:
    """Newest first. Answer saves while the assessment was open are grouped into one entry per save."""
    records = list(
        assessment.history.select_related("history_user", "version").order_by(
            "history_date", "history_id"
        )
    )
    entries = []
    previous = None
    for record in records:
        definition = record.version.parsed
        before = previous.answers if previous else {}
        changes = []
        for code, option in record.answers.items():
            if before.get(code) != option:
                question, new = _label(definition, code, option)
                _q, old = _label(definition, code, before.get(code))
                changes.append(
                    {"question": question, "old": old if code in before else None, "new": new}
                )
        status_changed = previous is None or previous.status != record.status
        if changes or status_changed:
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.display_name
                    if record.history_user
                    else "The system",
                    "reason": record.history_change_reason or "",
                    "status": record.get_status_display() if status_changed else "",
                    "changes": changes,
                }
            )
        previous = record
    entries.reverse()
    return entries
