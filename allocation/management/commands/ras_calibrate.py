"""Fit a RAS version to a CSV sample of packages, scale it to an envelope over the current
eligible people in the database, and print the result (as JSON with --json)."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
from django.core.management.base import CommandError

from allocation import actions, population, services
from allocation.domain import calibration, engine
from allocation.domain import sample as sample_rules
from allocation.domain.definition import to_dict
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
        "holding option codes; weekly cost last), then scale it so the current eligible people in the "
        "database cost exactly the envelope less the reserve."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="The sample of packages")
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
        self, *args, csv, method, envelope, reserve, version, bands, json: bool, save, **options
    ):
        found = resolve(version)
        envelope_amount = _decimal(envelope, "envelope")
        reserve_percent = _decimal(reserve, "reserve")
        if reserve_percent >= 100:
            raise CommandError("--reserve must be less than 100")
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
        scheme = found.compiled
        sample_net = engine.score(scheme, np.asfortranarray(sample.choices)).net
        costs = sample.costs_pence
        rows = sample
        pop = population.load(found)
        population_net = engine.score(scheme, pop.choices).net
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
            "sample": {"file": str(path), "packages": len(rows)},
            **result,
            "draft": None,
        }
        if save:
            data = to_dict(found.parsed)
            data["allocation"] = result["scaled"]
            draft = actions.copy_version(
                found,
                acting_user=self.acting_user,
                label=f"Calibrated ({method}) from {path.name}",
                origin=RasVersion.Origin.CALIBRATED,
                definition=data,
            )
            result["draft"] = {"id": draft.pk, "number": draft.number}
        if json:
            self.stdout.write(_json_dumps(result))
            return
        self.stdout.write(f"Calibrated {found} by {method} on {len(rows):,} packages")
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


def _json_dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
