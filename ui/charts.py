"""Plotly figures for the projected screen and the exports. Imports no streamlit.

Every chart is built to be read on a projector from the back of the room:
fonts of 24 px and more (on a 1080 px high screen), thick lines, black outlines on a white background, a
colour-blind-safe palette (Okabe-Ito), and colour never the only carrier of
meaning: each group also has its own bar pattern or marker symbol and line
dash, values are printed as text, and the aspects where perspectives differ
are marked in words. Numbers use the Dutch decimal comma.

The builders take the results of :mod:`workshop.aggregate` and return a
``plotly.graph_objects.Figure``; pages show it with ``st.plotly_chart``.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas  # noqa: F401 - see _warm() below
import plotly.graph_objects as go

from exports import palette
from messages import ORG_SHORT, ORG_TYPES, function_label, number, t
from workshop.aggregate import AspectScore, Divergence, FunctionStageMatrix, Ranked



def _warm() -> None:
    """Load plotly's trace and layout classes once, at import. plotly loads them lazily at first use, and
    that loading is not thread-safe: a half-imported pandas broke a figure in another session. A module
    import is serialised by Python's import lock, so every session meets the classes loaded. (A Scatter
    where a Heatmap was asked for, "Invalid property ... Scatter: 'colorscale'", was first put down to this
    too; its cause was two sessions building on one cached figure at once: see :func:`fresh`.)"""
    go.Figure(data=[go.Bar(x=[1]), go.Heatmap(z=[[1]]), go.Scatter(x=[1]), go.Scatterpolar(r=[1]), go.Pie()],
              layout=dict(shapes=[dict(type="rect")], annotations=[dict(text="")], polar=dict(),
                          xaxis=dict(), yaxis=dict(), legend=dict())).to_plotly_json()


_warm()


def fresh(fig: go.Figure) -> go.Figure:
    """A figure of its own, made from one that a cache shares between sessions (``heatmap_figure``,
    ``radar_figure``). Building a figure from another, plotly takes each trace's ``type`` out of the
    other's dicts and puts it back afterwards: two sessions doing that at once on the same cached figure
    got a Scatter where a Scatterpolar or Heatmap was meant ("Invalid property ... Scatter: 'r'", a
    screen error under load). ``to_dict`` copies first, so the shared figure is only read."""
    return go.Figure(fig.to_dict())

FONT_FAMILY = "Source Sans Pro, Arial, Helvetica, sans-serif"
FONT_SIZE = 26          #: base font (px on a 1080 px high screen); nothing is smaller than MIN_FONT
MIN_FONT = 24
TITLE_SIZE = 32
INK = "#111111"
GRID = "#bdbdbd"
LINE_WIDTH = 4
OUTLINE = 2

#: The "everyone" series: solid black, circle, solid line.
OVERALL = "__overall__"

#: Okabe-Ito colours, one fixed per org type so a group keeps its look across
#: workshops; patterns, symbols and dashes carry the same distinction without colour.
STYLE: dict[str, dict[str, str]] = {
    OVERALL:         {"color": palette.OVERALL, "pattern": "", "symbol": "circle", "dash": "solid"},
    "po":            {"pattern": "/",  "symbol": "square",        "dash": "dash"},
    "vmbo":          {"pattern": "\\", "symbol": "diamond",       "dash": "dot"},
    "mbo":           {"pattern": "x",  "symbol": "triangle-up",   "dash": "dashdot"},
    "hbo":           {"pattern": ".",  "symbol": "x",             "dash": "longdash"},
    "bedrijfsleven": {"pattern": "-",  "symbol": "star",          "dash": "longdashdot"},
    "gemeente":      {"pattern": "|",  "symbol": "hexagon",       "dash": "5px,3px,1px,3px"},
    "overig":        {"pattern": "+",  "symbol": "triangle-down", "dash": "1px,4px"},
}
for _org, _colour in palette.ORG_COLOURS.items():  # one palette for screen and PDF
    STYLE[_org]["color"] = _colour
_SPARE = ["#444444", "#882255", "#117733", "#332288"]


def _style(group: str, index: int = 0) -> dict[str, str]:
    if group in STYLE:
        return STYLE[group]
    return {"color": _SPARE[index % len(_SPARE)], "pattern": "/", "symbol": "cross", "dash": "dot"}


def nl_number(value: float | None, digits: int = 1) -> str:
    """'3,4' for 3.4 (``messages.number``, the one Dutch number format); an en dash for no value."""
    return "–" if value is None else number(value, digits)


def wrap_label(text: str, width: int = 16) -> str:
    """Plain text as a wrapped plotly label: plotly reads <a>, <b>, <br> ... in labels,
    so every line is escaped before the line breaks are added."""
    lines = textwrap.wrap(text, width=width, break_long_words=False) or [text]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _org_label(org: str) -> str:
    return ORG_TYPES.get(org, org)


def base_layout(fig: go.Figure, title: str | None, height: int | None) -> go.Figure:
    fig.update_layout(
        title=dict(text=title or None, font=dict(size=TITLE_SIZE, color=INK), x=0.01, xanchor="left"),
        font=dict(family=FONT_FAMILY, size=FONT_SIZE, color=INK),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        legend=dict(font=dict(size=FONT_SIZE), bgcolor="rgba(255,255,255,0.9)", bordercolor=INK, borderwidth=1),
        hoverlabel=dict(font=dict(size=MIN_FONT)),
        margin=dict(l=20, r=20, t=80 if title else 30, b=20),
    )
    # Long aspect labels and axis titles grow the margin instead of being cut off on a projector.
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if height:
        fig.update_layout(height=height)
    return fig


def _empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font=dict(size=TITLE_SIZE, color=INK))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _marked_keys(divergent: Iterable[Divergence | str]) -> set[str]:
    keys = set()
    for item in divergent:
        if isinstance(item, str):
            keys.add(item)
        elif item.marked:
            keys.add(item.key)
    return keys


# ------------------------------------------------------------- praatplaat
def praatplaat_series(table: Sequence[AspectScore], *, overall: bool = True,
                      org_types: Sequence[str] | None = None) -> list[tuple[str, list[float | None], list[int]]]:
    """(group, means per aspect, n per aspect) for the overall series and each org type.

    The org types default to those that scored at least one aspect, in the
    catalogue's order.
    """
    if org_types is None:
        seen: list[str] = []
        for aspect in table:
            for g in aspect.by_org:
                if g.n and g.org_type not in seen:
                    seen.append(g.org_type)
        order = list(ORG_TYPES)
        org_types = sorted(seen, key=lambda o: (order.index(o) if o in order else len(order), o))
    series = []
    if overall:
        series.append((OVERALL, [a.mean for a in table], [a.n for a in table]))
    for org in org_types:
        groups = [a.org(org) for a in table]
        series.append((org, [g.mean if g else None for g in groups], [g.n if g else 0 for g in groups]))
    return series


def _series_name(group: str, ns: Sequence[int]) -> str:
    label = t("chart.overall") if group == OVERALL else ORG_SHORT.get(group, group)
    return t("chart.group_n", label=label, n=max(ns, default=0))


def _aspect_label(aspect: AspectScore, marked: bool, width: int = 14) -> str:
    label = wrap_label(aspect.title, width)
    if marked:
        label = f"<b>{t('chart.praatplaat.differs_mark', title=label)}</b><br>" \
                f"<i>{wrap_label(t('chart.praatplaat.differs'), width)}</i>"
    return label


def praatplaat_chart(table: Sequence[AspectScore], *, divergent: Iterable[Divergence | str] = (),
                     kind: str = "bar", org_types: Sequence[str] | None = None, overall: bool = True,
                     title: str | None = "", height: int | None = 620) -> go.Figure:
    """The shared picture: mean score per aspect, overall and per org type.

    ``table`` comes from :func:`workshop.aggregate.score_table`. ``divergent``
    (keys, or :class:`Divergence` rows of which the ``marked`` ones count) are
    labelled "hier kijken we verschillend" and shaded. ``kind`` is ``"bar"``
    (grouped bars, the default: easiest to read from afar) or ``"radar"``
    (falls back to bars with fewer than three aspects). ``title=""`` uses the
    default title, ``None`` none. Legend names carry the largest n of the group.
    """
    if kind not in ("bar", "radar"):
        raise ValueError(f"unknown chart kind {kind!r}")
    title = t("chart.praatplaat.title") if title == "" else title
    fig = go.Figure()
    base_layout(fig, title, height)
    if not table or all(a.n == 0 for a in table):
        return _empty(fig, t("chart.praatplaat.empty"))
    marked = _marked_keys(divergent)
    series = praatplaat_series(table, overall=overall, org_types=org_types)
    keys = [a.key for a in table]
    if kind == "radar" and len(table) >= 3:
        return _praatplaat_radar(fig, table, series, marked)

    for i, (group, means, ns) in enumerate(series):
        style = _style(group, i)
        name = _series_name(group, ns)
        fig.add_bar(
            x=keys, y=means, name=name,
            text=[nl_number(m) if m is not None else "" for m in means],
            textposition="outside", cliponaxis=False,
            textfont=dict(size=MIN_FONT, color=INK),
            marker=dict(color=style["color"], line=dict(color=INK, width=OUTLINE),
                        pattern=dict(shape=style["pattern"], fgcolor=INK,
                                     size=10, solidity=0.35)),
            hovertext=[t("chart.praatplaat.hover", aspect=a.title, group=name, mean=nl_number(m), n=n)
                       for a, m, n in zip(table, means, ns)],
            hoverinfo="text",
        )
    for i, aspect in enumerate(table):
        if aspect.key in marked:
            fig.add_shape(type="rect", xref="x", yref="paper", x0=i - 0.5, x1=i + 0.5, y0=0, y1=1,
                          fillcolor="#eeeeee", line=dict(color=INK, width=OUTLINE, dash="dash"), layer="below")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
                      margin=dict(t=130 if title else 80))
    fig.update_xaxes(tickmode="array", tickvals=keys,
                     ticktext=[_aspect_label(a, a.key in marked) for a in table],
                     tickfont=dict(size=FONT_SIZE), linecolor=INK, linewidth=OUTLINE)
    fig.update_yaxes(range=[0, 5.6], tickvals=[1, 2, 3, 4, 5], tickfont=dict(size=FONT_SIZE),
                     title=dict(text=t("chart.praatplaat.axis"), font=dict(size=MIN_FONT)),
                     gridcolor=GRID, gridwidth=1, zeroline=True, zerolinecolor=INK, zerolinewidth=OUTLINE)
    return fig


def _praatplaat_radar(fig: go.Figure, table, series, marked) -> go.Figure:
    labels = [_aspect_label(a, a.key in marked, width=18) for a in table]
    closed = labels + labels[:1]
    for i, (group, means, ns) in enumerate(series):
        style = _style(group, i)
        name = _series_name(group, ns)
        values = list(means) + list(means[:1])
        fig.add_scatterpolar(
            r=values, theta=closed, name=name, mode="lines+markers+text" if group == OVERALL else "lines+markers",
            text=[nl_number(v) if v is not None else "" for v in values],
            textposition="top center", textfont=dict(size=MIN_FONT, color=INK),
            line=dict(color=style["color"], width=LINE_WIDTH + (2 if group == OVERALL else 0), dash=style["dash"]),
            marker=dict(symbol=style["symbol"], size=18, color=style["color"], line=dict(color=INK, width=OUTLINE)),
            connectgaps=False,
            hovertext=[t("chart.praatplaat.hover", aspect=a.title, group=name, mean=nl_number(m), n=n)
                       for a, m, n in zip(list(table) + list(table[:1]), values, list(ns) + list(ns[:1]))],
            hoverinfo="text",
        )
    fig.update_layout(polar=dict(
        bgcolor="#ffffff",
        radialaxis=dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5], tickfont=dict(size=MIN_FONT),
                        gridcolor=GRID, linecolor=INK, angle=90 - 180 / len(table), tickangle=0),
        angularaxis=dict(tickfont=dict(size=FONT_SIZE), linecolor=INK, linewidth=OUTLINE, gridcolor=GRID,
                         direction="clockwise"),
    ), legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0),
       margin=dict(b=140))
    return fig


# ------------------------------------------------------------------- GROW


def _contrast_ink(value: float, vmax: float) -> str:
    """White text on the dark half of the scale, black on the light half."""
    return "#ffffff" if vmax and value / vmax > 0.5 else INK


#: White (nothing) to dark blue (many).
HEAT_SCALE = [[0.0, "#ffffff"], [0.15, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]


def heatmap(matrix: FunctionStageMatrix, *, untagged: bool = True, title: str | None = "",
            height: int | None = 560, stage_width: int = 14) -> go.Figure:
    """Functions (rows) x stages (columns) with the count printed in every cell.

    Cells with zero notes in a function row are gaps: besides their white fill
    and the printed 0 they get a dashed outline, explained under the chart.
    With ``untagged`` a last row counts the notes without a function (its zeros
    are not gaps).
    """
    title = t("chart.heatmap.title") if title == "" else title
    fig = go.Figure()
    base_layout(fig, title, height)
    if not matrix.functions or not matrix.stages:
        return _empty(fig, t("chart.heatmap.empty"))
    rows = [list(r) for r in matrix.counts]
    row_labels = [function_label(f) for f in matrix.functions]
    if untagged:
        rows.append(list(matrix.untagged))
        row_labels.append(t("chart.heatmap.untagged"))
    col_labels = [wrap_label(s, stage_width) for s in matrix.stage_titles]
    ncols = len(matrix.stages)
    vmax = max((v for r in rows for v in r), default=0)
    xs = list(range(ncols))
    ys = list(range(len(rows)))
    fig.add_heatmap(
        z=rows, x=xs, y=ys, text=[[str(v) for v in r] for r in rows],
        colorscale=HEAT_SCALE, zmin=0, zmax=max(vmax, 1), showscale=False, xgap=4, ygap=4,
        hovertext=[[t("chart.heatmap.hover", function=row_labels[i], stage=matrix.stage_titles[j], count=v)
                    for j, v in enumerate(r)] for i, r in enumerate(rows)],
        hoverinfo="text",
    )
    # Built as plain lists and set once: plotly's add_annotation/add_shape per cell
    # validate the whole layout each time (seconds for a 7 x 6 grid on the screen's 1 s tick).
    annotations, shapes = [], []
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            annotations.append(dict(x=j, y=i, text=f"<b>{v}</b>", showarrow=False,
                                    font=dict(size=26, color=_contrast_ink(v, max(vmax, 1)))))
            if v == 0 and i < len(matrix.functions):
                shapes.append(dict(type="rect", x0=j - 0.45, x1=j + 0.45, y0=i - 0.42, y1=i + 0.42,
                                   line=dict(color=INK, width=OUTLINE, dash="dash"), fillcolor="rgba(0,0,0,0)"))
    if untagged:
        sep = len(matrix.functions) - 0.5
        shapes.append(dict(type="line", x0=-0.5, x1=ncols - 0.5, y0=sep, y1=sep,
                           line=dict(color=INK, width=LINE_WIDTH)))
    annotations.append(dict(text=t("chart.heatmap.gaps"), showarrow=False, xref="paper", yref="paper",
                            x=0, y=-0.02, xanchor="left", yanchor="top", font=dict(size=MIN_FONT, color=INK)))
    fig.update_layout(annotations=annotations, shapes=shapes)
    fig.update_xaxes(tickmode="array", tickvals=xs, ticktext=col_labels, side="top",
                     tickfont=dict(size=MIN_FONT), showgrid=False, zeroline=False)
    fig.update_yaxes(tickmode="array", tickvals=ys, ticktext=row_labels, autorange="reversed",
                     tickfont=dict(size=FONT_SIZE), showgrid=False, zeroline=False)
    fig.update_layout(margin=dict(b=60, t=170 if title else 120), title=dict(y=0.98, yanchor="top"))
    return fig


# ------------------------------------------------------------------ votes
def _default_label(item: Mapping[str, Any]) -> str:
    return str(item.get("text") or item.get("name") or item.get("title") or item.get("id", ""))


def ranking_bar(ranked: Sequence[Ranked], *, label: Callable[[Mapping[str, Any]], str] | None = None,
                top: int | None = 10, title: str | None = "", height: int | None = None,
                label_width: int = 40) -> go.Figure:
    """Horizontal bars of dot votes, most votes on top, the count printed on each bar.

    ``ranked`` comes from :func:`workshop.aggregate.ranking`. ``label`` turns an
    item into its text (default: its ``text``, else ``name``); long labels are
    shortened and wrapped. The rank number starts each label, so equal texts
    stay apart and the order is readable without colour.
    """
    title = t("chart.ranking.title") if title == "" else title
    label = label or _default_label
    if height and top:  # as many bars as fit: each label takes at most two lines
        top = max(3, min(top, int((height - (190 if title else 130)) // (2.6 * MIN_FONT + 14))))
    shown = list(ranked[:top] if top else ranked)
    fig = go.Figure()
    base_layout(fig, title, height or max(360, 90 + 70 * len(shown)))
    if not shown or all(r.votes == 0 for r in shown):
        return _empty(fig, t("chart.ranking.empty"))
    ys = list(range(len(shown)))
    texts = []
    for r in shown:
        words = " ".join(label(r.item).split())
        lines = textwrap.wrap(f"{r.rank}. {words}", width=label_width, break_long_words=True) or [""]
        if len(lines) > 2:  # never more than two lines: the second ends in "…"
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=label_width, placeholder="…")]
        texts.append("<br>".join(html.escape(line, quote=False) for line in lines))
    votes = [r.votes for r in shown]
    fig.add_bar(
        x=votes, y=ys, orientation="h", text=[str(v) for v in votes], textposition="outside",
        cliponaxis=False, textfont=dict(size=FONT_SIZE + 2, color=INK),
        marker=dict(color="#0072B2", line=dict(color=INK, width=OUTLINE)),
        hovertext=[f"{lbl}: {v}" for lbl, v in zip(texts, votes)], hoverinfo="text", showlegend=False,
    )
    fig.update_yaxes(tickmode="array", tickvals=ys, ticktext=texts, autorange="reversed",
                     tickfont=dict(size=MIN_FONT), showgrid=False)
    fig.update_xaxes(range=[0, max(votes) * 1.15 + 0.5], dtick=max(1, round(max(votes) / 6)),
                     title=dict(text=t("chart.ranking.axis"), font=dict(size=MIN_FONT)),
                     tickfont=dict(size=MIN_FONT), gridcolor=GRID, zeroline=True, zerolinecolor=INK,
                     zerolinewidth=OUTLINE)
    return fig


# ------------------------------------------------------------ over time
def praatplaat_trend_chart(aspect, workshops: Sequence[Any], *, title: str | None = "",
                           height: int | None = 520) -> go.Figure:
    """One praatplaat aspect across a partnership's workshops: a line per org type and one for everyone.

    ``aspect`` is an :class:`exports.progress.AspectTrend`, ``workshops`` the
    ``Trend.workshops`` (their ``label`` is the x axis). A workshop without a score
    breaks the line. ``title=""`` uses the change since last time ("Relatie: 2,6 → 3,4")
    or the aspect's title; ``None`` none. Same styles as :func:`praatplaat_chart`.
    """
    change = aspect.change()
    if title == "":
        title = html.escape(change.text_with_delta if change else aspect.title, quote=False)
    fig = go.Figure()
    base_layout(fig, title, height)
    if not any(v is not None for v in aspect.overall):
        return _empty(fig, t("chart.praatplaat.empty"))
    labels = [html.escape(w.label, quote=False) for w in workshops]
    series = [(OVERALL, aspect.overall)] + [(org, values) for org, values in aspect.by_org]
    for i, (group, values) in enumerate(series):
        style = _style(group, i)
        name = t("chart.overall") if group == OVERALL else _org_label(group)
        fig.add_scatter(
            x=labels, y=list(values), name=name, connectgaps=False,
            mode="lines+markers+text" if group == OVERALL else "lines+markers",
            text=[nl_number(v) if v is not None else "" for v in values], textposition="top center",
            textfont=dict(size=MIN_FONT, color=INK),
            line=dict(color=style["color"], width=LINE_WIDTH + (2 if group == OVERALL else 0), dash=style["dash"]),
            marker=dict(symbol=style["symbol"], size=16, color=style["color"], line=dict(color=INK, width=OUTLINE)),
            hovertext=[t("chart.trend.hover", workshop=w, group=name, mean=nl_number(v))
                       for w, v in zip(labels, values)],
            hoverinfo="text",
        )
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.15, xanchor="left", x=0),
                      margin=dict(b=140))
    fig.update_xaxes(type="category", tickfont=dict(size=FONT_SIZE), linecolor=INK, linewidth=OUTLINE)
    fig.update_yaxes(range=[0.5, 5.5], tickvals=[1, 2, 3, 4, 5], tickfont=dict(size=FONT_SIZE),
                     title=dict(text=t("chart.praatplaat.axis"), font=dict(size=MIN_FONT)),
                     gridcolor=GRID, gridwidth=1)
    return fig
