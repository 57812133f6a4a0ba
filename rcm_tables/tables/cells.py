"""How the document prints a figure: whole dollars or cents, a receipt with its date, "Pending", and whether the
rows of a table add up to its printed total once each figure is rounded from exact cents. The tables word their
Word cells with these (`layout`); the statements use them too. Nothing here imports the document."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from .. import money as M
from .layout import Lang


def places_of(cents) -> int:
    """A receipt or pending amount prints its cents where it has some ($549.20), as the published report does."""
    return 2 if M.has_cents(cents) else 0


def adds_up(parts: Iterable[int], total: int, places: int = 0) -> bool:
    """True when the printed parts add up to the printed total (each rounded from its exact cents)."""
    return sum(M.rounded(p, places) for p in parts) == M.rounded(total, places)


def shown(cents) -> int:
    """The cents a whole-dollar-or-cents amount shows (`places_of`)."""
    return M.rounded(cents, places_of(cents))


def receipt_lines(lang: Lang, receipts: list[tuple[int, dt.date]], period_start: dt.date) -> list[str]:
    """'$5,000 (23/02/2012)' per receipt, one a line (so that Table 4 fits a page); one made in a year before
    the period '$5,000 (paid during 2008)'."""
    lines = []
    for amount, day in receipts:
        when = lang._("paid during {year}", year=day.year) if day.year < period_start.year else lang.day(day)
        lines.append(f"{lang.money(amount, places_of(amount))} ({when})")
    return lines


def contribution_cell(lang: Lang, receipts: list[tuple[int, dt.date]], period_start: dt.date, assessed: int,
                      pending: int) -> str:
    """Table 4's cell: the receipts with their dates, then what is still pending; "Pending" if nothing came. An
    over-payment's pending is negative, printed as the workbook and the statements print it: "Pending: ($300)"."""
    if not receipts:
        return lang._("Pending") if assessed > 0 and pending > 0 else ""
    lines = receipt_lines(lang, receipts, period_start)
    if assessed > 0 and pending != 0:
        lines.append(lang._("Pending: {amount}", amount=lang.money(pending, places_of(pending))))
    return "\n".join(lines)


def fund_cell(lang: Lang, received: int, assessed: int | None) -> str:
    """Table 5's cell: the amount received, "(Pending: $855)" below a partial one, "Pending" or "NA"."""
    if received == 0:
        return lang._("Pending") if assessed else lang._("NA")
    text = lang.money(received)
    if assessed and 0 < received < assessed:
        text += "\n(" + lang._("Pending: {amount}", amount=lang.money(assessed - received)) + ")"
    return text


def adjustments_note(lang: Lang) -> str:
    """Under Table 4 when it has the adjustments row: why the member rows alone do not add up to the TOTAL."""
    return lang._("(no partner: adjustments): receipts booked to the budget of the TS without a member state "
                  "(corrections, bank charges). They count in the TOTAL: a period's member rows add up to its TOTAL "
                  "with them.")


def overpaid_note(lang: Lang) -> str:
    """Under Table 4 when a member paid more than its contribution for a period."""
    return lang._("A pending amount in brackets was paid in excess of the approved contribution, as the workbook "
                  "and the statements show it; it is not set against another period.")


def partner_name(lang: Lang, name: str, no_partner: str) -> str:
    """A row label: the partner's name in ``lang``, or the adjustments row's label."""
    return lang._("(no partner: adjustments)") if name == no_partner else lang.country(name)


def scale_note(lang: Lang, shares, amounts) -> list[str]:
    """Under a scale whose approved shares do not add up to 100 % (the 2012 report's 100.01 %): why, and what
    its amounts add up to, so that a reader does not take the TOTAL for a misprint."""
    given = [float(s) for s in shares if s == s]  # NaN (no share) is not counted
    total = round(sum(given), 6)
    if not given or abs(total - 100) < 1e-9:
        return []
    amount = lang.money(int(sum(int(a) for a in amounts)))
    if len(given) < len(list(shares)):  # an empty share (NA): not rounding, but a share the scale does not give
        return [lang._("{na}: the approved scale gives no share. The shares given add up to {total}; the amounts "
                       "are the approved ones and add up to {amount}.", na=lang._("NA"), total=lang.percent(total),
                       amount=amount)]
    return [lang._("The approved shares add up to {total}, not 100 %: each is rounded to two decimals. The "
                   "amounts are the approved ones and add up to {amount}.", total=lang.percent(total),
                   amount=amount)]
