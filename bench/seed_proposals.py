"""Seed the benchmark database with proposals, their supports, follows and comments.

    .venv/bin/python bench/seed_proposals.py [--proposals 20000] [--supports 1000000]
        [--comments 200000] [--users 50000] [--threshold 1000] [--reset]

Uses the database of ``bench/seed_reports.py`` (``BENCH_DATABASE_URL``, default
``cocreate_bench``), creating and migrating it when needed. COPYs, in one transaction:

- ``--users`` verified citizens (``bench-citizen-N@bench.invalid``, an unusable password,
  a verified primary address in allauth's ``account_emailaddress``), and ``--voters``
  more without any support, for ``bench/proposals_supports.py``;
- ``--proposals`` proposals over the last 365 days (a few Markdown bodies, each rendered
  to ``body_html`` once and reused), with ``--supports`` unique (proposal, citizen)
  supports spread with a heavy skew (a log-normal share: a few proposals have thousands,
  the median a dozen), each supporter following the proposal as ``proposal_support``
  makes them do; proposals that reached their threshold are under review or answered,
  with their history;
- ``--comments`` comments, a quarter of them replies: the first proposal (lowest id) gets
  exactly 200, all published (the proposal page measured by ``proposals_http.py``), the
  rest spread over the others in proportion to their support.

``support_count`` and ``comment_count`` match the rows. Idempotent: users are topped up
by number, and proposals are left alone when the counts are there; ``--reset`` empties
the proposal tables first (the reports are never touched). Ends with ANALYZE of the
tables it wrote. Reproducible with ``--seed``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import psycopg  # noqa: E402

from bench.seed_reports import conninfo, database_url, ensure_database  # noqa: E402

SEED = 20261122
CITIZEN_PREFIX = "bench-citizen-"
VOTER_PREFIX = "bench-voter-"
EMAIL_DOMAIN = "@bench.invalid"
PAGE_PROPOSAL_COMMENTS = 200  # the first proposal's comments, for the proposal page
PAGE_PROPOSAL_REPLIES = 60
REPLY_SHARE = 0.25
BATCH = 20_000  # lines per COPY write
WINDOW = timedelta(days=90)
ANSWER_DAYS = 30
# Share of supports: log-normal weights, so a few proposals collect thousands.
SUPPORT_SIGMA = 1.5
MODERATION = [("published", 980), ("pending", 12), ("hidden", 6), ("rejected", 2)]
REACHED_STATUSES = [("under_review", 40), ("accepted", 15), ("planned", 15), ("implemented", 10), ("declined", 20)]
PROPOSAL_TABLES = (
    "proposals_proposal",
    "proposals_support",
    "proposals_proposalfollow",
    "proposals_proposalcomment",
    "proposals_proposalstatuschange",
)

FIRST_NAMES = ["Ayu", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kartika", "Lestari"]
IDEAS = [
    "Shaded bus stops",
    "Protected bike lane",
    "More street lights",
    "Weekly car-free morning",
    "Recycling points",
    "Wider pavements",
    "Safe crossing near the school",
    "Drinking water fountains",
    "Trees along the avenue",
    "Taman bermain anak",
    "Tempat sampah terpilah",
    "Jalur pejalan kaki yang aman",
]
PLACES = [
    "on Jalan Asia Afrika",
    "in Dago",
    "around Gedung Sate",
    "near Pasar Baru",
    "on Jalan Braga",
    "in Cicendo",
    "along the Cikapundung river",
    "di Alun-alun",
    "di Buah Batu",
    "near the central station",
]
SUMMARIES = [
    "A small change that would make daily trips safer for everyone, especially children and older people.",
    "Residents asked for this at the last neighbourhood meeting; it costs little and helps many.",
    "Warga sudah lama meminta ini. Biayanya kecil, manfaatnya besar untuk lingkungan sekitar.",
    "Other cities did it in a few months. We could start with a pilot on one street.",
]
BODIES = [
    "## What\n\nWe propose a pilot on one street first, then the whole district.\n\n"
    "## Why\n\n- Safer trips to school\n- Less traffic at rush hour\n- Shops get more visitors\n\n"
    "Cost estimate: **small**, mostly paint and signs. See the plan at https://example.org/plan.",
    "The current situation is dangerous at night. *Many* neighbours have complained.\n\n"
    "1. Survey the street\n2. Install the equipment\n3. Review after six months",
    "Kami mengusulkan perbaikan ini karena sangat dibutuhkan warga.\n\n"
    "> Sudah dibahas di musyawarah RW.\n\nMohon dukungannya.",
    "Short and simple: please do this.",
    "",
    "This idea comes from the school committee.\n\n"
    "It would help about **600 pupils** and their parents every day. Details:\n\n"
    "- morning: 06:30 to 07:30\n- afternoon: 12:00 to 13:30\n\nThank you for reading.",
]
COMMENTS = [
    "I support this, the street is really dangerous.",
    "Good idea, but who will maintain it?",
    "Setuju! Sudah lama ditunggu.",
    "We tried something similar in my neighbourhood and it worked well.",
    "Please also think about **people in wheelchairs**.",
    "How much would this cost? A rough figure would help.",
    "Terima kasih atas usulannya.",
    "Could start with a pilot near the market.\n\n- fewer cars\n- more shade",
]
ANSWER = "Thank you. The city reviewed this proposal with the department concerned.\n\nWe will report progress here."


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    names, weights = zip(*choices, strict=True)
    return rng.choices(names, weights)[0]


def allocate(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), no share above its cap."""
    counts = [0] * len(weights)
    free = [i for i, cap in enumerate(caps) if cap > 0]
    left = total
    for _ in range(50):  # bounded: each round fills at least one share to its cap or finishes
        if left <= 0 or not free:
            break
        mass = sum(weights[i] for i in free)
        exact = {i: left * weights[i] / mass for i in free}
        grant = {i: min(int(exact[i]), caps[i] - counts[i]) for i in free}
        given = sum(grant.values())
        for i in sorted(free, key=lambda i: exact[i] - int(exact[i]), reverse=True)[: left - given]:
            if grant[i] < caps[i] - counts[i]:
                grant[i] += 1
        for i, value in grant.items():
            counts[i] += value
        left -= sum(grant.values())
        free = [i for i in free if counts[i] < caps[i]]
    if left > 0:
        raise ValueError(f"cannot place {left} more: every share is at its cap")
    return counts


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random() if end > start else start


def stamp(value: datetime) -> str:
    return value.isoformat()


# --- users -------------------------------------------------------------------------------


def ensure_users(conn: psycopg.Connection, prefix: str, count: int, seed: int) -> list[int]:
    """``count`` active citizens with a verified primary email named ``prefix``N; their ids by N."""
    pattern = f"{prefix}%{EMAIL_DOMAIN}"
    have = {
        int(email[len(prefix) : -len(EMAIL_DOMAIN)]): pk
        for pk, email in conn.execute("SELECT id, email FROM citizens_user WHERE email LIKE %s", [pattern])
    }
    missing = [n for n in range(count) if n not in have]
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with conn.transaction():
        if missing:
            with conn.cursor() as cur:
                columns = (
                    "password, is_superuser, email, display_name, preferred_language, is_staff, is_active, date_joined"
                )
                with cur.copy(f"COPY citizens_user ({columns}) FROM STDIN") as copy:
                    for n in missing:
                        # Six in ten show a display name; the rest appear as "A citizen".
                        name = f"{rng.choice(FIRST_NAMES)} {n}" if rng.random() < 0.6 else ""
                        joined = now - timedelta(days=400 * rng.random())
                        language = "id" if rng.random() < 0.5 else "en"
                        copy.write_row(
                            (
                                "!bench-unusable",
                                False,
                                f"{prefix}{n}{EMAIL_DOMAIN}",
                                name,
                                language,
                                False,
                                True,
                                joined,
                            )
                        )
        added = conn.execute(
            'INSERT INTO account_emailaddress (email, verified, "primary", user_id)'
            " SELECT u.email, true, true, u.id FROM citizens_user u"
            " WHERE u.email LIKE %s AND NOT EXISTS (SELECT 1 FROM account_emailaddress e WHERE e.user_id = u.id)",
            [pattern],
        ).rowcount
    if missing or added:
        print(f"users {prefix}N: {len(missing)} created, {added} email addresses verified")
    ids = {
        int(email[len(prefix) : -len(EMAIL_DOMAIN)]): pk
        for pk, email in conn.execute("SELECT id, email FROM citizens_user WHERE email LIKE %s", [pattern])
    }
    return [ids[n] for n in range(count)]


# --- proposals ---------------------------------------------------------------------------


def make_proposals(args, rng: random.Random, citizens: list[int], topics: list[str], bounds, now: datetime):
    """The proposals as dicts, with their support and comment counts allocated."""
    from cocreate import safe_markdown

    bodies = [(body, safe_markdown.render(body)) for body in BODIES]  # rendered once, reused
    answer_html = safe_markdown.render(ANSWER)
    min_lon, min_lat, max_lon, max_lat = bounds
    year = timedelta(days=365).total_seconds()
    proposals = []
    for index in range(args.proposals):
        created = now - timedelta(seconds=rng.random() * year)
        body, body_html = rng.choice(bodies)
        state = "published" if index == 0 else weighted(rng, MODERATION)
        point = rng.random() < 0.5
        proposals.append(
            {
                "index": index,
                "moderation_state": state,
                "title": f"{rng.choice(IDEAS)} {rng.choice(PLACES)}",
                "summary": rng.choice(SUMMARIES),
                "body": body,
                "body_html": body_html,
                "topic": rng.choice(topics),
                "lat": round(rng.uniform(min_lat, max_lat), 6) if point else None,
                "lon": round(rng.uniform(min_lon, max_lon), 6) if point else None,
                "author_id": rng.choice(citizens),
                "show_name": rng.random() < 0.8,
                "threshold": args.threshold,
                "created_at": created,
                "closes_at": created + WINDOW,
            }
        )
    # Supports: log-normal shares; a proposal held for moderation has none, and none
    # passes its threshold (supports stop when it is reached) or the number of citizens.
    weights = [rng.lognormvariate(0, SUPPORT_SIGMA) for _ in proposals]
    caps = [0 if p["moderation_state"] == "pending" else min(args.threshold, len(citizens)) for p in proposals]
    supports = allocate(args.supports, weights, caps)
    # Comments: the first proposal has exactly 200; the others in proportion to support^0.7.
    comment_weights = [
        (count + 1) ** 0.7 if p["moderation_state"] != "pending" else 0.0
        for p, count in zip(proposals, supports, strict=True)
    ]
    comment_caps = [0 if w == 0 else PAGE_PROPOSAL_COMMENTS - 1 for w in comment_weights]
    comment_caps[0] = 0
    comments = allocate(args.comments - PAGE_PROPOSAL_COMMENTS, comment_weights, comment_caps)
    comments[0] = PAGE_PROPOSAL_COMMENTS
    for proposal, support_count, comment_count in zip(proposals, supports, comments, strict=True):
        created = proposal["created_at"]
        proposal.update(
            support_count=support_count,
            comment_count=comment_count,
            status="published",
            threshold_reached_at=None,
            answer_due_at=None,
            answer="",
            answer_html="",
            answered_at=None,
            updated_at=created,
        )
        if support_count >= proposal["threshold"]:
            end = min(proposal["closes_at"], now)
            reached = between(rng, min(created + timedelta(days=1), end), end)
            status = weighted(rng, REACHED_STATUSES)
            proposal.update(
                status=status, threshold_reached_at=reached, answer_due_at=reached + timedelta(days=ANSWER_DAYS)
            )
            proposal["updated_at"] = reached
            if status != "under_review":
                answered = between(rng, reached, min(reached + timedelta(days=ANSWER_DAYS * 1.5), now))
                proposal.update(answer=ANSWER, answer_html=answer_html, answered_at=answered, updated_at=answered)
        elif rng.random() < 0.01 and proposal["index"] != 0:
            proposal["status"] = "withdrawn"
            proposal["updated_at"] = between(rng, created, min(proposal["closes_at"], now))
    return proposals


def support_end(proposal: dict, now: datetime) -> datetime:
    """Supports come while the proposal collects them: until its threshold, its window's end or now."""
    return min(proposal["threshold_reached_at"] or now, proposal["closes_at"], now)


def copy_lines(cur, statement: str, lines) -> int:
    """COPY text lines (already escaped) in batches; the number of rows."""
    rows = 0
    batch: list[str] = []
    with cur.copy(statement) as copy:
        for line in lines:
            batch.append(line)
            if len(batch) >= BATCH:
                copy.write("".join(batch))
                rows += len(batch)
                batch = []
        if batch:
            copy.write("".join(batch))
            rows += len(batch)
    return rows


def seed_proposals(conn: psycopg.Connection, args, citizens: list[int], topics: list[str], bounds) -> None:
    from functools import lru_cache

    from cocreate import safe_markdown
    from cocreate.redaction import redact

    redacted = lru_cache(maxsize=None)(redact)  # a few dozen distinct texts

    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    started = time.monotonic()
    proposals = make_proposals(args, rng, citizens, topics, bounds, now)
    print(f"  planned {len(proposals)} proposals in {time.monotonic() - started:.1f} s")
    with conn.transaction(), conn.cursor() as cur:
        # Every row is consistent by construction: skip the deferred foreign-key triggers,
        # which would queue millions of checks until the commit (unique indexes still apply).
        cur.execute("SET LOCAL session_replication_role = replica")
        first_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM proposals_proposal").fetchone()[0]
        columns = [
            "id",
            "moderation_state",
            "title",
            "summary",
            "body",
            "body_html",
            "topic",
            "lat",
            "lon",
            "author_id",
            "show_name",
            "status",
            "support_count",
            "comment_count",
            "threshold",
            "closes_at",
            "threshold_reached_at",
            "answer_due_at",
            "answer",
            "answer_html",
            "answered_at",
            "created_at",
            "updated_at",
            "redacted_title",
            "redacted_summary",
            "redacted_answer",
        ]
        step = time.monotonic()
        with cur.copy(f"COPY proposals_proposal ({', '.join(columns)}) FROM STDIN") as copy:
            for proposal in proposals:
                proposal["id"] = first_id + proposal["index"]
                # The public texts, as proposal_create and proposal_answer store them.
                for name in ("title", "summary", "answer"):
                    proposal[f"redacted_{name}"] = redacted(proposal[name])
                copy.write_row([proposal[name] for name in columns])
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('proposals_proposal', 'id'), (SELECT max(id) FROM proposals_proposal))"
        )
        print(f"  proposals: {len(proposals)} in {time.monotonic() - step:.1f} s")

        # History: the threshold reached, then the city's answer.
        with cur.copy(
            "COPY proposals_proposalstatuschange (proposal_id, from_status, to_status, note, by_role, created_at)"
            " FROM STDIN"
        ) as copy:
            for p in proposals:
                if p["threshold_reached_at"]:
                    copy.write_row((p["id"], "published", "under_review", "", "threshold", p["threshold_reached_at"]))
                if p["answered_at"]:
                    copy.write_row((p["id"], "under_review", p["status"], ANSWER, "city", p["answered_at"]))

        # Supports, and the follow each supporter gets; authors follow their proposals.
        step = time.monotonic()
        supporters: dict[int, list[tuple[int, datetime]]] = {}
        for p in proposals:
            if p["support_count"]:
                start, end = p["created_at"], support_end(p, now)
                users = rng.sample(citizens, p["support_count"])
                supporters[p["id"]] = [(user, between(rng, start, end)) for user in users]
        supports = copy_lines(
            cur,
            "COPY proposals_support (proposal_id, user_id, created_at) FROM STDIN",
            (f"{pk}\t{user}\t{stamp(at)}\n" for pk, rows in supporters.items() for user, at in rows),
        )
        print(f"  supports: {supports} in {time.monotonic() - step:.1f} s")
        step = time.monotonic()

        def follows():
            for p in proposals:
                rows = supporters.get(p["id"], [])
                if p["author_id"] not in {user for user, _at in rows}:
                    yield f"{p['id']}\t{p['author_id']}\t{stamp(p['created_at'])}\n"
                for user, at in rows:
                    yield f"{p['id']}\t{user}\t{stamp(at)}\n"

        follow_rows = copy_lines(
            cur, "COPY proposals_proposalfollow (proposal_id, user_id, created_at) FROM STDIN", follows()
        )
        print(f"  follows: {follow_rows} in {time.monotonic() - step:.1f} s")
        supporters.clear()

        # Comments: ids given here so that replies can name their parent.
        step = time.monotonic()
        rendered = [(body, safe_markdown.render(body)) for body in COMMENTS]
        next_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM proposals_proposalcomment").fetchone()[0]
        columns = "id, moderation_state, proposal_id, parent_id, author_id, body, body_html, show_name, created_at"
        written = 0
        with cur.copy(f"COPY proposals_proposalcomment ({columns}) FROM STDIN") as copy:
            for p in proposals:
                count = p["comment_count"]
                if not count:
                    continue
                page = p["index"] == 0
                replies = PAGE_PROPOSAL_REPLIES if page else sum(rng.random() < REPLY_SHARE for _ in range(count - 1))
                start = p["created_at"]
                times = sorted(between(rng, start, now) for _ in range(count))
                tops: list[tuple[int, datetime]] = []
                reply_slots = set(rng.sample(range(1, count), replies)) if replies else set()
                for position, at in enumerate(times):
                    parent = None
                    if position in reply_slots and tops:
                        parent, parent_at = rng.choice(tops)
                        at = max(at, parent_at)
                    state = "published" if page else weighted(rng, MODERATION)
                    body, body_html = rng.choice(rendered)
                    copy.write_row(
                        (next_id, state, p["id"], parent, rng.choice(citizens), body, body_html, rng.random() < 0.7, at)
                    )
                    if parent is None:
                        tops.append((next_id, at))
                    next_id += 1
                    written += 1
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('proposals_proposalcomment', 'id'),"
            " (SELECT max(id) FROM proposals_proposalcomment))"
        )
        print(f"  comments: {written} in {time.monotonic() - step:.1f} s")
    print(f"proposals seeded in {time.monotonic() - started:.1f} s")


def facts(conn: psycopg.Connection) -> dict:
    """What the proposal tables hold, and whether the counters match the rows."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM proposals_proposal), (SELECT count(*) FROM proposals_support),"
        " (SELECT count(*) FROM proposals_proposalcomment), (SELECT count(*) FROM proposals_proposalfollow),"
        " (SELECT coalesce(sum(support_count), 0) FROM proposals_proposal),"
        " (SELECT coalesce(sum(comment_count), 0) FROM proposals_proposal),"
        " (SELECT max(support_count) FROM proposals_proposal),"
        " (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY support_count) FROM proposals_proposal),"
        " (SELECT count(*) FROM citizens_user WHERE email LIKE %s)",
        [f"{CITIZEN_PREFIX}%{EMAIL_DOMAIN}"],
    ).fetchone()
    names = ("proposals", "supports", "comments", "follows", "support_sum", "comment_sum", "max", "median", "citizens")
    return dict(zip(names, row, strict=True))


def page_proposal(conn: psycopg.Connection) -> tuple[int, int] | None:
    """The proposal with 200 comments (the first one), and its visible comments."""
    row = conn.execute(
        "SELECT p.id, (SELECT count(*) FROM proposals_proposalcomment c"
        " WHERE c.proposal_id = p.id AND c.moderation_state = 'published')"
        " FROM proposals_proposal p ORDER BY p.id LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", type=int, default=20_000, help="proposals (20000)")
    parser.add_argument("--supports", type=int, default=1_000_000, help="supports (1000000)")
    parser.add_argument("--comments", type=int, default=200_000, help="comments (200000)")
    parser.add_argument("--users", type=int, default=50_000, help="citizens who support and comment (50000)")
    parser.add_argument("--voters", type=int, default=2_000, help="citizens kept for proposals_supports.py (2000)")
    parser.add_argument("--threshold", type=int, default=1000, help="supports a proposal needs (1000)")
    parser.add_argument("--reset", action="store_true", help="empty the proposal tables first")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed, for reproducible data")
    args = parser.parse_args(argv)
    if args.proposals < 1 or args.comments < PAGE_PROPOSAL_COMMENTS or args.users < 1 or args.threshold < 1:
        parser.error(
            f"--proposals, --users and --threshold must be 1 or more, --comments {PAGE_PROPOSAL_COMMENTS} or more"
        )
    if args.supports > args.proposals * min(args.threshold, args.users):
        parser.error("--supports is more than the proposals can hold below their threshold")
    if args.comments - PAGE_PROPOSAL_COMMENTS > (args.proposals - 1) * (PAGE_PROPOSAL_COMMENTS - 1):
        parser.error("--comments is more than the proposals can hold")

    url = database_url()
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from proposals.actions import topic_choices
    from services.catalogue import catalogue_load

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrated in {time.monotonic() - started:.1f} s")
    catalogue_load()
    topics = topic_choices()

    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        if args.reset:
            conn.execute(f"TRUNCATE {', '.join(PROPOSAL_TABLES)} RESTART IDENTITY CASCADE")
            print("proposals emptied")
        step = time.monotonic()
        citizens = ensure_users(conn, CITIZEN_PREFIX, args.users, args.seed)
        ensure_users(conn, VOTER_PREFIX, args.voters, args.seed + 1)
        print(f"users ready in {time.monotonic() - step:.1f} s")
        have = facts(conn)
        if have["proposals"] == 0:
            seed_proposals(conn, args, citizens, topics, settings.CITY_BOUNDS)
        elif (have["proposals"], have["supports"], have["comments"]) == (args.proposals, args.supports, args.comments):
            print(f"{have['proposals']} proposals already there; nothing to insert")
        else:
            print(
                f"the database holds {have['proposals']} proposals, {have['supports']} supports and"
                f" {have['comments']} comments, not the counts asked for: run again with --reset",
                file=sys.stderr,
            )
            return 2
        step = time.monotonic()
        for table in (*PROPOSAL_TABLES, "citizens_user", "account_emailaddress"):
            conn.execute(f"ANALYZE {table}")
        print(f"analyzed in {time.monotonic() - step:.1f} s")
        have = facts(conn)
        page = page_proposal(conn)
        size = conn.execute(
            "SELECT pg_size_pretty(sum(pg_total_relation_size(c))) FROM unnest(%s::regclass[]) AS c",
            [list(PROPOSAL_TABLES)],
        ).fetchone()[0]
    consistent = have["support_sum"] == have["supports"] and have["comment_sum"] == have["comments"]
    print(
        f"proposals: {have['proposals']}, supports: {have['supports']} (most {have['max']}, median {have['median']}),"
        f" follows: {have['follows']}, comments: {have['comments']}, citizens: {have['citizens']};"
        f" counters {'match' if consistent else 'DO NOT match'} the rows; tables with indexes {size}"
    )
    if page:
        print(f"proposal page: /proposals/{page[0]}/ with {page[1]} published comments")
    return 0 if consistent else 1


if __name__ == "__main__":
    sys.exit(main())
