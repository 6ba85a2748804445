"""Weighted draws for the demo council, cheaper than `random.choices` and drawing the same.

`rng.choices(values, weights=weights)[0]` adds up the weights on every call; at 100,000
people that was more of the demo's time than the draws. `pick` adds them up once per mix
and then does what `choices` does with them (one `random()`, one bisect), so the same seed
gives the same value (test_demo_council guards the whole council).
"""

import random
from bisect import bisect
from itertools import accumulate

_MIXES: dict[int, tuple] = {}


def pick(rng: random.Random, weighted: list[tuple]) -> object:
    """One value from a mix of (value, weight) made once (a module constant): the value
    `rng.choices(values, weights=weights)[0]` gives for the same draw."""
    mix = _MIXES.get(id(weighted))
    if mix is None:
        values, weights = zip(*weighted, strict=True)
        cumulative = list(accumulate(weights))
        # The list is kept with its figures, so its id is never reused for another list.
        mix = _MIXES[id(weighted)] = (weighted, values, cumulative, cumulative[-1] + 0.0)
    _weighted, values, cumulative, total = mix
    return values[bisect(cumulative, rng.random() * total, 0, len(values) - 1)]
