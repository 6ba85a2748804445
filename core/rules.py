"""Business rules as small classes: a code, a message, and a check (tamato's business_rules).

    class PublishedVersionIsFrozen(BusinessRule):
        \"\"\"A live or retired version cannot be changed: copy it to a new draft\"\"\"
        code = "RAS-FROZEN"

        def broken_by(self, version) -> bool:
            return not version.is_draft

`check(subject)` raises `BusinessRuleViolation` carrying the rule's code and message;
`problems(rules, subject)` lists every rule a subject breaks, for a page or an API to
show all at once. The message is the class's docstring unless `message()` says more.
Pages and tests look at codes, never at message text.
"""

from dataclasses import dataclass

from .actions import ActionError


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def __str__(self):
        return self.message


class BusinessRuleViolation(ActionError):
    """One or more rules broken: `problems` lists each, with its code."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems), code=problems[0].code)
        self.problems = problems

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class BusinessRule:
    code: str = ""

    def broken_by(self, subject, **context) -> bool:
        raise NotImplementedError

    def message(self, subject, **context) -> str:
        return " ".join((type(self).__doc__ or type(self).__name__).split())

    def problem(self, subject, **context) -> Problem | None:
        if self.broken_by(subject, **context):
            return Problem(self.code, self.message(subject, **context))
        return None

    def check(self, subject, **context) -> None:
        problem = self.problem(subject, **context)
        if problem:
            raise BusinessRuleViolation([problem])


def problems(rule_classes, subject, **context) -> list[Problem]:
    found = []
    for rule_class in rule_classes:
        problem = rule_class().problem(subject, **context)
        if problem:
            found.append(problem)
    return found


def check_all(rule_classes, subject, **context) -> None:
    found = problems(rule_classes, subject, **context)
    if found:
        raise BusinessRuleViolation(found)
