"""The JSON Schemas (draft 2020-12) of a RAS definition: `selfdirect-ras/2`, published at
`/api/v1/ras/schema.json`, and the strict shape of the older `selfdirect-ras/1`, which is still
read (and converted) but no longer written. No Django imports.

The schema is what import enforces: every key the format knows is listed, and any other key
is refused (`additionalProperties: false` at every level), so nothing in a file can be
dropped without a word. `definition.parse` validates against it first, then checks what a
schema cannot say (codes used once, references to other questions and options, the order of
bands, the rules of statutory guidance), naming the JSON path of every problem.

Numbers: points, hours and other units are JSON numbers with at most two decimal places;
money is a string of digits (exact: "12.50", a price per point may have up to 14 decimal
places), never a JSON number, so no reader can turn it into a float.
"""

from __future__ import annotations

import json
from decimal import Decimal

from people import codes as person_codes

from . import rates

SCHEMA_ID = "urn:selfdirect:ras:2"
CODE_PATTERN = "^[a-z][a-z0-9_]{0,39}$"
# Money under £1,000,000,000: whole pounds, then up to 2 (limits, fixed amounts) or 14
# (a price per point or a band amount, as calibration solves them) decimal places.
MONEY_PATTERN = "^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,2})?$"
RATE_PATTERN = "^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,14})?$"
MAX_OPTION_POINTS = 10_000
MAX_UNITS = 10_000
MAX_MULTIPLE_OPTIONS = 7  # a multiple-choice answer is a 7-bit set of options (int8)
MAX_AGE = 130
HUNDREDTH = Decimal("0.01")
# A key that does not apply in this case: `not {}` (rather than `false`) so validators name the
# key in the error's path.
NOT_HERE = {"not": {}}

PERIODS = ("week", "year", "once")
QUESTION_TYPES = ("single", "multiple", "informal_support")
INFORMAL_METHODS = ("whole_scheme", "by_domain", "carer_allocation")
PRIMARY_SUPPORT_REASONS = tuple(code for code, _label in person_codes.PRIMARY_SUPPORT_REASONS)
CLIENT_TYPES = tuple(code for code, _label in person_codes.CLIENT_TYPES)
SERVICES = tuple(service.code for service in rates.SERVICES)


def _text(max_length: int = 2000, description: str = "") -> dict:
    schema = {"type": "string", "maxLength": max_length}
    if description:
        schema["description"] = description
    return schema


def _points(description: str, low: str = "minimum") -> dict:
    return {
        "type": "number",
        low: 0,
        "maximum": MAX_OPTION_POINTS * 100,
        "multipleOf": HUNDREDTH,
        "description": description,
    }


def _money_rule(required: tuple[str, ...] = ()) -> dict:
    """A points-to-money rule: a price per point with a fixed amount, or bands."""
    return {
        "properties": {
            "method": {"enum": ["price_per_point", "bands"]},
            "fixed_amount": {
                "$ref": "#/$defs/money",
                "description": "Added to everyone's amount (2 decimal places)",
            },
            "price_per_point": {"$ref": "#/$defs/rate"},
            "bands": {
                "type": "array",
                "minItems": 1,
                "maxItems": 200,
                "items": {"$ref": "#/$defs/band"},
            },
        },
        "required": ["method", *required],
        "allOf": [
            {
                "if": {"properties": {"method": {"const": "bands"}}},
                "then": {
                    "required": ["bands"],
                    "properties": {"fixed_amount": NOT_HERE, "price_per_point": NOT_HERE},
                },
                "else": {"required": ["price_per_point"], "properties": {"bands": NOT_HERE}},
            }
        ],
    }


def _closed(properties: dict, required: list[str], **extra) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **extra,
    }


def _build_v2() -> dict:
    informal_only = {
        "reduction_percent": NOT_HERE,
        "reduction_points": NOT_HERE,
        "carer_points": NOT_HERE,
        "no_reduction": NOT_HERE,
        "not_more_than": NOT_HERE,
    }
    need_only = {"points": NOT_HERE, "support": NOT_HERE, "complex": NOT_HERE}
    option = _closed(
        {
            "code": {"$ref": "#/$defs/code"},
            "label": _text(300, "The answer, in the words the person reads"),
            "hint": _text(500),
            "points": _points("Points this answer scores (up to 2 decimal places)"),
            "support": {
                "type": "array",
                "maxItems": 10,
                "description": "Cost-rate answers: units (hours, days, nights...) of a service "
                "each period, priced at the council's reference rate in force on the day",
                "items": {"$ref": "#/$defs/support"},
            },
            "complex": {
                "type": "boolean",
                "description": "A need a points scale cannot price: sends the person to a "
                "costed plan",
            },
            "excludes": {
                "type": "object",
                "description": "Answers to other questions that contradict this one",
                "propertyNames": {"$ref": "#/$defs/code"},
                "additionalProperties": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"$ref": "#/$defs/code"},
                },
            },
            "reduction_percent": {
                "type": "integer",
                "minimum": 0,
                "maximum": 100,
                "description": "Support from family and friends: the percentage it takes off",
            },
            "reduction_points": _points(
                "Support from family and friends: the points it takes off its domain"
            ),
            "carer_points": _points(
                "Support from family and friends: points towards the carer's own allocation"
            ),
            "no_reduction": {
                "type": "boolean",
                "description": "The person helping cannot or will not go on: nothing is "
                "taken off (statutory guidance 6.18, 10.26)",
            },
            "not_more_than": {
                "$ref": "#/$defs/code",
                "description": "Another option of this question that this one must never "
                "reduce more than",
            },
        },
        ["code", "label"],
    )
    question = _closed(
        {
            "code": {"$ref": "#/$defs/code"},
            "text": _text(300, "The question, as the person is asked it"),
            "hint": _text(500),
            "type": {
                "enum": list(QUESTION_TYPES),
                "description": "single: one answer; multiple: any number of answers, their "
                "points added up (and capped); informal_support: support from family and friends",
            },
            "outcomes": {
                "type": "array",
                "maxItems": 20,
                "uniqueItems": True,
                "items": {"$ref": "#/$defs/code"},
                "description": "The eligibility outcomes the need serves (Care Act 2014 s26)",
            },
            "reducible": {
                "type": "boolean",
                "description": "false for needs support from family and friends never reduces "
                "(safety, work and learning, caring for a child)",
            },
            "asked_when": _closed(
                {
                    "question": {"$ref": "#/$defs/code"},
                    "answers": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"$ref": "#/$defs/code"},
                    },
                },
                ["question", "answers"],
                description="Ask this question only when an earlier question was given one "
                "of these answers; otherwise it is not asked, not required and scores nothing",
            ),
            "cap": _points(
                "Multiple-choice questions: the most points their answers add up to",
                "exclusiveMinimum",
            ),
            "none_label": _text(
                200, "Multiple-choice questions: the words for choosing none of the answers"
            ),
            "options": {"type": "array", "minItems": 2, "maxItems": 127, "items": option},
        },
        ["code", "text", "type", "options"],
        allOf=[
            {
                "if": {"properties": {"type": {"const": "informal_support"}}},
                "then": {
                    "properties": {
                        "outcomes": NOT_HERE,
                        "reducible": NOT_HERE,
                        "options": {"items": {"properties": need_only}},
                    }
                },
                "else": {"properties": {"options": {"items": {"properties": informal_only}}}},
            },
            {
                "if": {"properties": {"type": {"const": "multiple"}}},
                "then": {"properties": {"options": {"maxItems": MAX_MULTIPLE_OPTIONS}}},
                "else": {"properties": {"cap": NOT_HERE, "none_label": NOT_HERE}},
            },
        ],
    )
    domain = _closed(
        {
            "code": {"$ref": "#/$defs/code"},
            "title": _text(100),
            "description": _text(500),
            "cap": _points("The most points this domain's needs add up to", "exclusiveMinimum"),
            "informal_support": {
                "type": "object",
                "description": "With informal_support method by_domain: how support from "
                "family and friends reduces this domain's points, and the most it can take off",
                "properties": {
                    "cap_percent": {"type": "integer", "minimum": 0, "maximum": 100},
                    "cap_points": _points("The most points it takes off this domain"),
                },
                "additionalProperties": False,
                "minProperties": 1,
                "maxProperties": 1,
            },
            "questions": {"type": "array", "maxItems": 500, "items": question},
        },
        ["code", "title", "questions"],
    )
    applies = _closed(
        {
            "age_from": {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
            "age_to": {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
            "primary_support_reasons": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(PRIMARY_SUPPORT_REASONS)},
            },
            "client_types": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(CLIENT_TYPES)},
            },
        },
        [],
        minProperties=1,
        description="Who the table is for: an age band (years, inclusive), primary support "
        "reasons and client types (CLD codes); every condition given must hold",
    )
    table_rule = _money_rule(("code", "title"))
    table = {
        "type": "object",
        "properties": {
            "code": {"$ref": "#/$defs/code"},
            "title": _text(100, "Who the table is for, in plain words"),
            "applies_to": applies,
            **table_rule["properties"],
        },
        "required": table_rule["required"],
        "allOf": table_rule["allOf"],
        "additionalProperties": False,
    }
    carer_rule = _money_rule()
    carer_money = {
        "type": "object",
        "description": "With informal_support method carer_allocation: the carer's own amount, "
        "from the carer points of the answers about support from family and friends",
        "properties": {
            "title": _text(100),
            "period": {"enum": list(PERIODS)},
            **carer_rule["properties"],
        },
        "required": ["period", *carer_rule["required"]],
        "allOf": carer_rule["allOf"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Selfdirect RAS definition (selfdirect-ras/2)",
        "description": "A Resource Allocation System version: its questionnaire and how its "
        "points (and any hours at reference rates) become an indicative amount. Import "
        "refuses any key not listed here and lists every problem with its JSON path.",
        "type": "object",
        "properties": {
            "format": {"const": "selfdirect-ras/2"},
            "kind": {"enum": ["person", "carer"]},
            "period": {
                "enum": list(PERIODS),
                "description": "What the amount is: a weekly, a yearly or a one-off amount",
            },
            "domains": {"type": "array", "maxItems": 100, "items": domain},
            "informal_support": {
                "type": "object",
                "properties": {
                    "method": {"enum": list(INFORMAL_METHODS)},
                    "cap_percent": {"type": "integer", "minimum": 0, "maximum": 100},
                    "carer_money": carer_money,
                },
                "required": ["method"],
                "additionalProperties": False,
                "allOf": [
                    {
                        "if": {"properties": {"method": {"const": "whole_scheme"}}},
                        "then": {"required": ["cap_percent"]},
                        "else": {"properties": {"cap_percent": NOT_HERE}},
                    },
                    {
                        "if": {"properties": {"method": {"const": "carer_allocation"}}},
                        "then": {"required": ["carer_money"]},
                        "else": {"properties": {"carer_money": NOT_HERE}},
                    },
                ],
            },
            "money_tables": {
                "type": "array",
                "minItems": 1,
                "maxItems": 50,
                "items": table,
                "description": "Points-to-money rules; the first whose applies_to fits the "
                "person is used, and a table with no applies_to fits everyone",
            },
            "limits": _closed(
                {
                    "minimum": {"anyOf": [{"$ref": "#/$defs/money"}, {"type": "null"}]},
                    "maximum": {"anyOf": [{"$ref": "#/$defs/money"}, {"type": "null"}]},
                },
                [],
            ),
        },
        "required": ["format", "kind", "period", "domains", "money_tables"],
        "additionalProperties": False,
        "$defs": {
            "code": {
                "type": "string",
                "pattern": CODE_PATTERN,
                "description": "A lower-case letter, then up to 39 of a-z, 0-9 and _",
            },
            "money": {
                "type": "string",
                "pattern": MONEY_PATTERN,
                "description": 'Pounds as text with up to 2 decimal places, like "12.50"',
            },
            "rate": {
                "type": "string",
                "pattern": RATE_PATTERN,
                "description": 'Pounds as text with up to 14 decimal places, like "4.6021"',
            },
            "support": _closed(
                {
                    "service": {"enum": list(SERVICES)},
                    "units": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": MAX_UNITS,
                        "multipleOf": HUNDREDTH,
                        "description": "Hours, days, nights, weeks or meals of the service "
                        "each period (the service's unit)",
                    },
                },
                ["service", "units"],
            ),
            "band": _closed(
                {
                    "min_points": _points("The lowest points in the band"),
                    "amount": {
                        "anyOf": [{"$ref": "#/$defs/rate"}, {"type": "null"}],
                        "description": "null: no indicative amount for these points "
                        "(below the threshold), which is not £0",
                    },
                    "words": _text(
                        600, "For a band with no indicative amount: what it means, for the person"
                    ),
                },
                ["min_points", "amount"],
            ),
        },
    }


def _build_v1() -> dict:
    """selfdirect-ras/1 as the old reader knew it: its keys only. Values are checked after
    conversion, by the selfdirect-ras/2 schema and rules."""

    def closed(properties: dict) -> dict:
        return {"type": "object", "properties": properties, "additionalProperties": False}

    anything = {}
    option = closed(
        dict.fromkeys(
            (
                "code",
                "label",
                "hint",
                "points",
                "reduction_percent",
                "complex",
                "excludes",
                "no_reduction",
                "not_more_than",
            ),
            anything,
        )
    )
    question = closed(
        {
            **dict.fromkeys(
                ("code", "text", "hint", "informal_support", "outcomes", "reducible"), anything
            ),
            "options": {"type": "array", "items": option},
        }
    )
    domain = closed(
        {
            "code": anything,
            "title": anything,
            "description": anything,
            "questions": {"type": "array", "items": question},
        }
    )
    band = closed({"min_points": anything, "amount": anything})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:selfdirect:ras:1",
        "title": "Selfdirect RAS definition (selfdirect-ras/1, read and converted)",
        "type": "object",
        "properties": {
            "format": {"const": "selfdirect-ras/1"},
            "kind": anything,
            "period": anything,
            "domains": {"type": "array", "items": domain},
            "informal_support": closed({"cap_percent": anything}),
            "allocation": closed(
                {
                    "method": anything,
                    "fixed_amount": anything,
                    "price_per_point": anything,
                    "bands": {"type": "array", "items": band},
                }
            ),
            "limits": closed({"minimum": anything, "maximum": anything}),
        },
        "additionalProperties": False,
    }


SCHEMA_V2 = _build_v2()
SCHEMA_V1 = _build_v1()


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)  # 0.01 in the published schema: a JSON number
    raise TypeError(f"Cannot write {type(value).__name__}")


def published_json(indent: int | None = 2) -> str:
    """The selfdirect-ras/2 schema as the API serves it."""
    return json.dumps(SCHEMA_V2, indent=indent, ensure_ascii=False, default=_json_default)
