"""Fit a RAS version to a sample of packages (a CSV file, or the current budgets in the
database), scale it to an envelope over the current eligible people in the database, and
print the result (as JSON with --json).

Packages whose answers send the person to a costed plan are left out of the fit (their
budget is the cost of their plan); everyone eligible counts in the scaling, their points
counting eligible needs only (the outcomes their decision found unmet)."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
from django.core.management.base import CommandError

from allocation import actions, population, rules, services
from allocation.domain import calibration, engine
from allocation.domain import sample as sample_rules
from allocation.domain.definition import to_dict, with_rule
from allocation.models import RasVersion

from ._versions import VersionCommand, resolve


def _decimal(value: str, name: str) -> Decimal:
    try:
        number = Decimal(value.replace("£", "").replace(",", ""))
    except InvalidOperation:
        raise CommandError(f"--{name} must be a number, not {value!r}") from None
    if number < 0:
        raise CommandError(f"--{name} must be zero or more")
    return number


class Command(VersionCommand):
    help = (
        "Calibrate a RAS version: fit it to a CSV sample (answers as columns named by question code, "
        "holding option codes; weekly cost last) or to the current weekly budgets in the database "
        "(--from-database), then scale it so the current eligible people in the database cost "
        "exactly the envelope less the reserve."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--csv", help="The sample of packages")
        source.add_argument(
            "--from-database",
            action="store_true",
            help="Fit to the current weekly budgets of the eligible people in the database",
        )
        parser.add_argument("--method", required=True, choices=calibration.METHODS)
        parser.add_argument("--envelope", required=True, help="Annual funding envelope in pounds")
        parser.add_argument("--reserve", required=True, help="Reserve percentage, for example 5")
        parser.add_argument(
            "--version", default="live", help="A version id, or `live` (the default)"
        )
        parser.add_argument(
            "--bands", type=int, default=10, help="Number of bands, for --method bands"
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON")
        parser.add_argument(
            "--save", action="store_true", help="Also save the result as a new draft version"
        )

    def handle(
        self,
        *args,
        csv,
        from_database,
        method,
        envelope,
        reserve,
        version,
        bands,
        json: bool,
        save,
        **options,
    ):
        found = resolve(version)
        envelope_amount = _decimal(envelope, "envelope")
        reserve_percent = _decimal(reserve, "reserve")
        if reserve_percent >= 100:
            raise CommandError("--reserve must be less than 100")
        refusals = rules.calibration_problems(found)
        if refusals:  # the same rules the calibration page and action keep
            raise CommandError("; ".join(p.message for p in refusals))
        scheme = found.compiled
        pop = population.load(found)
        scores = engine.score(scheme, pop.choices, unable_masks=pop.unable_masks)
        population_net = scores.net
        if from_database:
            if scheme.definition.period != "week":
                words = "one-off" if scheme.definition.period == "once" else "yearly"
                raise CommandError(f"--from-database fits weekly budgets: this version is {words}")
            keep, left_out = services.calibration_sample(scores, pop)
            sample_net, costs = population_net[keep], pop.current_pence[keep]
            source = {"database": "current weekly budgets", "packages": int(pop.has_budget.sum())}
            label = "current budgets"
        else:
            sample_net, costs, left_out, path = self._csv(found, scheme, csv)
            source = {"file": str(path), "packages": int(len(costs)) + left_out}
            label = path.name
        source["costed_plan_left_out"] = left_out
        try:
            result = services.fit_and_scale(
                found,
                method=method,
                band_count=bands,
                sample_net=sample_net,
                sample_costs=costs,
                envelope=envelope_amount,
                reserve_percent=reserve_percent,
                population_net=population_net,
            )
        except calibration.CalibrationError as error:
            raise CommandError(str(error)) from None
        result.pop("_fit")
        result = {
            "version": {
                "id": found.pk,
                "scheme": found.scheme.name,
                "number": found.number,
                "status": found.status,
            },
            "sample": source,
            **result,
            "draft": None,
        }
        if save:
            data = with_rule(to_dict(found.parsed), result["scaled"])
            draft = actions.copy_version(
                found,
                acting_user=self.acting_user,
                label=f"Calibrated ({method}) from {label}"[:100],
                origin=RasVersion.Origin.CALIBRATED,
                definition=data,
            )
            result["draft"] = {"id": draft.pk, "number": draft.number}
        if json:
            self.stdout.write(_json_dumps(result))
            return
        self.stdout.write(
            f"Calibrated {found} by {method} on {result['statistics']['n']:,} packages "
            f"({left_out:,} more on the costed-plan route left out)"
        )
        self.stdout.write(
            f"  R² {result['statistics']['r2']}, mean absolute percentage error {result['statistics']['mape']:.1%}"
        )
        self.stdout.write(f"  fitted: {result['fitted']}")
        self.stdout.write(f"  scaled: {result['scaled']}")
        self.stdout.write(
            f"  modelled annual total £{result['modelled_annual_total']} for {result['people']:,} people "
            f"(target £{result['target']})"
        )
        if result["draft"]:
            self.stdout.write(
                f"  saved as draft version {result['draft']['number']} (id {result['draft']['id']})"
            )

    def _csv(self, found, scheme, csv):
        path = Path(csv)
        if not path.exists():
            raise CommandError(f"No such file: {csv}")
        if path.stat().st_size > sample_rules.MAX_BYTES:
            raise CommandError(
                f"The sample must be smaller than {sample_rules.MAX_BYTES // (1024 * 1024)} MB"
            )
        try:
            sample = sample_rules.parse_csv(found.parsed, path.read_text(encoding="utf-8-sig"))
        except sample_rules.SampleError as error:
            raise CommandError(
                "The sample has problems, so nothing was used:\n" + "\n".join(error.problems)
            ) from None
        except UnicodeDecodeError:
            raise CommandError("The sample must be a CSV saved as UTF-8") from None
        scores = engine.score(scheme, np.asfortranarray(sample.choices))
        keep = ~scores.costed_plan
        return scores.net[keep], sample.costs_pence[keep], int((~keep).sum()), path


def _json_dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
