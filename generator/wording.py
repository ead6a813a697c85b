"""How the site words things: dates, counts and a paper's short facts. One place, so a page, a
card and a feed item never disagree ("1 author", not "1 authors")."""

from __future__ import annotations

import datetime as dt

from generator.model import Paper

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, plural unless the count is one: "1 paper", "2 papers"."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def format_date(day: dt.date) -> str:
    """A calendar day as "Mar 4, 2025"."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def paper_facts(paper: Paper) -> list[str]:
    """Short facts for a paper's card and feed items: date, authors or organisation, votes."""
    facts = []
    if paper.date:
        facts.append(format_date(paper.date))
    if paper.authors_count is not None:
        facts.append(counted(paper.authors_count, "author"))
    if paper.organization:
        facts.append(paper.organization.name)
    if paper.votes is not None:
        facts.append(counted(paper.votes, "vote"))
    return facts
