"""Print a RAS version as JSON: its questions, option codes and points, and its money rules,
always in the current format, `selfdirect-ras/2` (what the import page and
`POST /api/v1/ras/schemes/{scheme_id}/versions` read)."""

import json

from allocation.domain.definition import to_dict

from ._versions import VersionCommand, resolve


class Command(VersionCommand):
    help = "Print a RAS version as JSON (the same format the import page reads)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--version", default="live", help="A version id, or `live` (the default)"
        )
        parser.add_argument(
            "--kind",
            default="person",
            choices=["person", "carer"],
            help="With `live`: which scheme",
        )

    def handle(self, *args, version, kind, **options):
        found = resolve(version, kind)
        document = {
            "version": {
                "id": found.pk,
                "scheme_id": found.scheme_id,
                "scheme": found.scheme.name,
                "number": found.number,
                "label": found.label,
                "status": found.status,
                "effective_from": found.effective_from.isoformat()
                if found.effective_from
                else None,
                "effective_to": found.effective_to.isoformat() if found.effective_to else None,
            },
            "definition": to_dict(found.parsed),
        }
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
