"""The three statements of a support, for ``actions.proposal_support``, which calls them in one
transaction: record the support, follow the proposal, count the support.

A support is the site's busiest write: a popular proposal collects thousands within hours. Each
statement does its checking itself, so one support costs these three and the transaction's BEGIN
and COMMIT, and the proposal's row is locked only from the count to the commit:

- the support and the follow are ``INSERT ... ON CONFLICT DO NOTHING``: a support given twice,
  even at the same moment from two requests, is recorded once, and the row count says whether
  this one was new;
- the count is one ``UPDATE ... RETURNING``: it adds the support, crosses the threshold when the
  support reaches it, and holds every rule in its WHERE (the proposal is published, collecting
  and not the supporter's own; the supporter may contribute, ``rules.contributor_condition``).
  Concurrent counts of one proposal wait for each other on its row, so the count is exact and
  only one of them sees the proposal still collecting as it reaches the threshold.

When the count changes no row a rule refused the support: ``actions`` asks the rules which, and
the transaction is rolled back. The SQL is written for PostgreSQL and SQLite (3.35 or later, for
RETURNING); only the models' table and column names are written into it, values are parameters.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import NamedTuple

from django.db import connections, router

from moderation import rules
from moderation.models import ModerationState
from proposals.models import Proposal, ProposalFollow, ProposalStatus, Support


class Statements(NamedTuple):
    support: str
    follow: str
    count: str


@functools.cache
def _statements(alias: str) -> Statements:
    """The texts of the three statements on database ``alias``: built once, as a support's own
    Python work is otherwise mostly assembling them."""
    connection = connections[alias]
    quote = connection.ops.quote_name

    def names(model) -> tuple[str, dict[str, str]]:
        return quote(model._meta.db_table), {f.name: quote(f.column) for f in model._meta.concrete_fields}

    def insert(model) -> str:
        table, c = names(model)
        return (
            f"INSERT INTO {table} ({c['proposal']}, {c['user']}, {c['created_at']}) VALUES (%s, %s, %s)"  # noqa: S608
            " ON CONFLICT DO NOTHING"
        )

    table, c = names(Proposal)
    reaches = f"{c['support_count']} + 1 >= {c['threshold']}"
    count = (
        f"UPDATE {table} SET {c['support_count']} = {c['support_count']} + 1,"  # noqa: S608
        f" {c['status']} = CASE WHEN {reaches} THEN %s ELSE {c['status']} END,"
        f" {c['threshold_reached_at']} = CASE WHEN {reaches} THEN %s ELSE {c['threshold_reached_at']} END,"
        f" {c['answer_due_at']} = CASE WHEN {reaches} THEN %s ELSE {c['answer_due_at']} END,"
        f" {c['updated_at']} = CASE WHEN {reaches} THEN %s ELSE {c['updated_at']} END"
        f" WHERE {c['id']} = %s AND {c['moderation_state']} = %s AND {c['status']} = %s AND {c['closes_at']} > %s"
        f" AND ({c['author']} IS NULL OR {c['author']} <> %s) AND {rules.contributor_condition(connection)}"
        f" RETURNING {c['status']}"
    )
    return Statements(support=insert(Support), follow=insert(ProposalFollow), count=count)


def _insert_pair(model, proposal_id: int, user_id: int, now: datetime) -> bool:
    """Insert (proposal, user, now) unless the pair is there; True when a row was added."""
    connection = connections[router.db_for_write(model)]
    statements = _statements(connection.alias)
    sql = statements.support if model is Support else statements.follow
    with connection.cursor() as cursor:
        cursor.execute(sql, [proposal_id, user_id, connection.ops.adapt_datetimefield_value(now)])
        return cursor.rowcount == 1


def support_insert(*, proposal_id: int, user_id: int, now: datetime) -> bool:
    """Record the support; False when this person already supports the proposal."""
    return _insert_pair(Support, proposal_id, user_id, now)


def follow_insert(*, proposal_id: int, user_id: int, now: datetime) -> None:
    """Follow the proposal, as supporting it does; nothing when already following."""
    _insert_pair(ProposalFollow, proposal_id, user_id, now)


def support_count(*, proposal_id: int, user_id: int, now: datetime, answer_due_at: datetime) -> str | None:
    """Count the support under the rules; the proposal's status afterwards (``under_review`` when this
    support reached the threshold), or None when a rule refused it and nothing changed."""
    connection = connections[router.db_for_write(Proposal)]
    adapt = connection.ops.adapt_datetimefield_value
    moment = adapt(now)
    params = [
        ProposalStatus.UNDER_REVIEW.value,
        moment,
        adapt(answer_due_at),
        moment,
        proposal_id,
        ModerationState.PUBLISHED.value,
        ProposalStatus.PUBLISHED.value,
        moment,
        user_id,
        *rules.contributor_params(connection, user_id, now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.alias).count, params)
        rows = cursor.fetchall()
    return rows[0][0] if rows else None
