"""The budget letter: one template (challenges/letter.html) for the page and the PDF.

What it tells the person, in plain English (Care Act 2014 s25(1)(e), s26; statutory guidance
11.22-11.28; R (KM) v Cambridgeshire [2012] UKSC 23): the final amount and where the money
comes from, how the indicative amount was worked out (the lines of budgets/explained.py), why
the final amount differs, the support with its hours and hourly rates, their contribution, how
the money is taken, and how to challenge it (the complaints route, challenges/models.py).

The PDF is drawn by WeasyPrint with a fetcher that reads the council's static files from disk
and refuses every other address: printing a letter never reaches the network.
"""

import mimetypes
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from budgets import explained as explain
from plans import actions as plan_actions

from .models import RESPONSE_WORKING_DAYS, BudgetLetter, Challenge

# A base address no real host answers to: static files are read from disk under it.
BASE_URL = "https://letter.invalid/"


@dataclass
class Letter:
    plan: object
    person: object
    budget: object
    x: explain.Explained
    lines: list
    cost: object
    streams: list
    shares: list
    contribution_pence: int
    indicative_pence: int | None
    difference_pence: int
    panel_decision: object
    dp_offer: object
    one_off_pence: int = 0
    letters: list = field(default_factory=list)
    challenges: list = field(default_factory=list)
    respond_days: int = RESPONSE_WORKING_DAYS
    dated: object = None

    @property
    def period_words(self) -> str:
        return {"week": "a week", "year": "a year"}.get(self.budget.period, "once")


class _AsPerson:
    """The reader the letter is written to: the person themself."""

    def __init__(self, person):
        self.pk = person.user_id or -1


def build(plan) -> Letter:
    """Everything the letter says, for a plan whose budget is agreed."""
    budget = plan.budget
    person = plan.person
    x = explain.for_budget(budget, user=_AsPerson(person))
    x.audience = "person"
    lines = list(plan.lines.select_related("carer"))
    all_streams = list(budget.streams.all())
    streams = [s for s in all_streams if not getattr(s, "one_off", False)]
    contribution = sum(s.amount_pence for s in streams if s.stream == "contribution")
    indicative = budget.indicative_pence
    return Letter(
        plan=plan,
        person=person,
        budget=budget,
        x=x,
        lines=lines,
        cost=plan_actions.plan_cost(plan, lines),
        streams=streams,
        shares=[s for s in budget.shares.all() if not getattr(s, "one_off", False)],
        one_off_pence=getattr(budget, "one_off_pence", 0) or 0,
        contribution_pence=contribution,
        indicative_pence=indicative,
        difference_pence=budget.amount_pence - indicative if indicative is not None else 0,
        panel_decision=budget.panel_decision,
        dp_offer=budget.dp_offers.order_by("-offered_on", "-id").first(),
        letters=list(BudgetLetter.objects.filter(plan=plan).select_related("issued_by")),
        challenges=list(
            Challenge.objects.filter(plan=plan).select_related("decided_by").order_by("-id")
        ),
        dated=timezone.localdate(),
    )


def context(letter: Letter, **extra) -> dict:
    return {
        "letter": letter,
        "x": letter.x,
        "plan": letter.plan,
        "person": letter.person,
        "budget": letter.budget,
        "ongoing": [line for line in letter.lines if not line.one_off],
        "one_off": [line for line in letter.lines if line.one_off],
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        **extra,
    }


# --- The PDF -----------------------------------------------------------------------------------


def _static_file(url: str):
    """(bytes, mime type) of a static file named by a URL under the letter's base; else None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    path = parts.path
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL) :]
    if ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    if not found:
        return None
    with open(found, "rb") as handle:
        data = handle.read()
    return data, mimetypes.guess_type(found)[0] or "application/octet-stream"


class OfflineRefused(ValueError):
    """An address the letter may not fetch: only the council's own static files."""


def _fetcher():
    """A WeasyPrint URL fetcher that serves static files from disk and nothing else."""
    import weasyprint

    base = getattr(weasyprint, "URLFetcher", None) or getattr(
        __import__("weasyprint.urls").urls, "URLFetcher", None
    )
    if base is not None and hasattr(base, "fetch"):
        from weasyprint.urls import URLFetcherResponse

        class StaticOnly(base):
            def fetch(self, url, headers=None):
                found = _static_file(url)
                if found is None:
                    raise OfflineRefused(f"Not fetched (letters never use the network): {url}")
                data, mime = found
                return URLFetcherResponse(url, data, {"Content-Type": mime})

        return StaticOnly()

    def fetch(url):  # older WeasyPrint: a function returning a dict
        found = _static_file(url)
        if found is None:
            raise OfflineRefused(f"Not fetched (letters never use the network): {url}")
        data, mime = found
        return {"string": data, "mime_type": mime}

    return fetch


def render_pdf(letter: Letter, request=None) -> bytes:
    import weasyprint

    html = render_to_string(
        "challenges/letter.html",
        context(letter, layout="challenges/letter_print.html", printing=True),
        request=request,
    )
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


# --- The letter history ------------------------------------------------------------------------


@dataclass
class HistoryItem:
    when: object
    what: str
    who: str
    detail: str = ""
    href: str = ""


def history(*, person=None, plan=None, staff: bool = False) -> list[HistoryItem]:
    """Letters issued and challenges (received, then their outcome), newest first."""
    from django.urls import reverse

    letters = BudgetLetter.objects.select_related("issued_by")
    challenges = Challenge.objects.select_related("decided_by")
    if plan is not None:
        letters, challenges = letters.filter(plan=plan), challenges.filter(plan=plan)
    else:
        letters, challenges = letters.filter(person=person), challenges.filter(person=person)
    items = [
        HistoryItem(
            letter.issued_at,
            "Budget letter sent",
            letter.issued_by.display_name,
            f"Personal budget {letter.amount_text}",
            reverse("challenges:letter", args=[letter.plan_id]),
        )
        for letter in letters
    ]
    for challenge in challenges:
        href = reverse(
            "challenges:staff-detail" if staff else "challenges:detail", args=[challenge.pk]
        )
        items.append(
            HistoryItem(
                challenge.created_at,
                "Challenge received",
                "",
                f"{challenge.decision_text}. Reply due by {challenge.respond_by:%-d %B %Y}",
                href,
            )
        )
        if challenge.is_decided:
            items.append(
                HistoryItem(
                    challenge.decided_at,
                    f"Challenge {challenge.get_status_display().lower()}",
                    challenge.decided_by.display_name,
                    challenge.reasons,
                    href,
                )
            )
        elif challenge.status == Challenge.Status.WITHDRAWN:
            items.append(HistoryItem(challenge.withdrawn_at, "Challenge withdrawn", "", "", href))
    items.sort(key=lambda item: item.when, reverse=True)
    return items
