"""Business rules for challenges (each a code and a message).

- The Local Authority Social Services and National Health Service Complaints (England)
  Regulations 2009, reg. 14: the complaint is investigated and answered with its conclusions.
  Fairness asks that someone other than the person who made the decision looks at it again,
  so the original decision-maker may neither take nor decide a challenge to it.
- A challenge is in the person's own words: it needs some (reg. 5: a complaint may be made
  orally or in writing, by the person or someone acting for them).
"""

from core.rules import BusinessRule


class ChallengeHasWords(BusinessRule):
    """Tell us what you disagree with, in your own words"""

    code = "CHALLENGE-WORDS"

    def broken_by(self, challenge, **context) -> bool:
        return not (challenge.words or "").strip()


class DeciderIsNotTheDecisionMaker(BusinessRule):
    """Someone other than whoever made the decision challenged must decide the challenge"""

    code = "CHALLENGE-DECIDER-IS-DECISION-MAKER"

    def broken_by(self, challenge, *, user=None, **context) -> bool:
        return bool(challenge.decision_maker_id) and challenge.decision_maker_id == getattr(
            user, "pk", None
        )


class AssigneeIsNotTheDecisionMaker(BusinessRule):
    """Assign the challenge to someone other than whoever made the decision challenged"""

    code = "CHALLENGE-ASSIGNEE-IS-DECISION-MAKER"

    def broken_by(self, challenge, *, assignee=None, **context) -> bool:
        return bool(challenge.decision_maker_id) and challenge.decision_maker_id == getattr(
            assignee, "pk", None
        )


class AssigneeIsStaff(BusinessRule):
    """Assign the challenge to a practitioner or approver"""

    code = "CHALLENGE-ASSIGNEE-NOT-STAFF"

    def broken_by(self, challenge, *, assignee=None, **context) -> bool:
        from core.permissions import edits_records

        return assignee is None or not edits_records(assignee)


class OutcomeHasReasons(BusinessRule):
    """Give the reasons for the outcome: the person will read them"""

    code = "CHALLENGE-REASONS"

    def broken_by(self, challenge, *, reasons="", **context) -> bool:
        return not (reasons or "").strip()


class KnownOutcome(BusinessRule):
    """Select the outcome: upheld, partly upheld or not upheld"""

    code = "CHALLENGE-OUTCOME"

    def broken_by(self, challenge, *, outcome="", **context) -> bool:
        return outcome not in {"upheld", "partly", "not_upheld"}


class DecisionToChallenge(BusinessRule):
    """There is no budget or plan decision to challenge yet"""

    code = "CHALLENGE-NO-DECISION"

    def broken_by(self, challenge, **context) -> bool:
        return challenge.plan_id is None or challenge.budget_id is None
