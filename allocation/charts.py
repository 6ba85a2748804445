"""Small server-drawn SVG charts. Every chart sits beside a table of the same numbers,
which is the accessible version; the SVG has a title and a description for screen
readers and uses presentation attributes only (the pages forbid inline styles). No Django."""

from html import escape

BRAND = "#106165"
LINE = "#d4351c"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


def _svg(width, height, title, desc, body) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="app-chart">'
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>{body}</svg>'
    )


def bar_chart(rows: list[dict], *, label: str, title: str = "People by change in budget") -> str:
    """Horizontal bars, one per row: {"label": ..., "people": ...}."""
    if not rows:
        return ""
    width, bar, gap, left, right = 720, 26, 8, 230, 70
    height = len(rows) * (bar + gap) + 20
    top = max((int(r["people"]) for r in rows), default=0) or 1
    parts = []
    for i, row in enumerate(rows):
        y = 10 + i * (bar + gap)
        length = (width - left - right) * int(row["people"]) / top
        parts.append(
            f'<text x="{left - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end" font-size="14" fill="{TEXT}">'
            f"{escape(str(row['label']))}</text>"
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{BRAND}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + bar * 0.7:.1f}" font-size="14" fill="{TEXT}">'
            f"{int(row['people']):,}</text>"
        )
    desc = "; ".join(f"{r['label']}: {int(r['people']):,} {label.lower()}" for r in rows)
    return _svg(width, height, title, desc, "".join(parts))


def scatter_chart(
    points: list,
    line: list,
    *,
    x_label: str,
    y_label: str,
    title: str = "Points against weekly cost, with the fitted rule",
) -> str:
    """Dots for packages ([x, y]) and the fitted rule as a line ([x, y])."""
    if not points:
        return ""
    width, height, left, bottom, top_pad, right_pad = 720, 420, 70, 50, 20, 20
    xs = [p[0] for p in points] + [p[0] for p in line]
    ys = [p[1] for p in points] + [float(p[1]) for p in line]
    x_max = max(xs) or 1
    y_max = max(ys) or 1

    def sx(x):
        return left + (width - left - right_pad) * x / x_max

    def sy(y):
        return height - bottom - (height - bottom - top_pad) * min(float(y), y_max) / y_max

    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right_pad}" y2="{height - bottom}" stroke="{TEXT}"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{height - bottom}" stroke="{TEXT}"/>',
    ]
    for i in range(5):
        value = y_max * i / 4
        y = sy(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right_pad}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{TEXT}">£{value:,.0f}</text>'
        )
        xv = x_max * i / 4
        parts.append(
            f'<text x="{sx(xv):.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12" fill="{TEXT}">{xv:,.0f}</text>'
        )
    parts.extend(
        f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2" fill="{BRAND}" fill-opacity="0.45"/>'
        for x, y in points
    )
    if line:
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="3"/>')
    parts.append(
        f'<text x="{(left + width) / 2:.0f}" y="{height - 8}" text-anchor="middle" font-size="14" fill="{TEXT}">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="16" y="{(height - bottom) / 2:.0f}" text-anchor="middle" font-size="14" fill="{TEXT}" '
        f'transform="rotate(-90 16 {(height - bottom) / 2:.0f})">{escape(y_label)}</text>'
    )
    desc = (
        f"{len(points):,} packages plotted by points (0 to {x_max:,}) and weekly cost (up to £{y_max:,.0f}); "
        "the line is the fitted rule. The table below gives the same figures."
    )
    return _svg(width, height, title, desc, "".join(parts))
