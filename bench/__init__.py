"""Benchmarks: `make bench` runs them all. Each figure prints as one comparable line:

bench: <name> = <value> <unit> (<size and setting>)
"""


def report(name: str, value: float, unit: str, setting: str) -> None:
    print(f"bench: {name} = {value:.3f} {unit} ({setting})", flush=True)
