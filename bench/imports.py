"""`linkwell bench import`: a LinkedIn Connections.csv of N rows (30,000 by default) against
the current database, timed to the match list, with the process's peak memory.

Run it on a seeded network (`linkwell seed --members N`). The file is made from the seed:
`--by-email` rows carry a member's confirmed address, `--by-name` a member's name and
current company, `--by-url` a LinkedIn address given by a member (written for the run), the
rest names nobody has. Everything runs in one transaction rolled back at the end, so the
database is as it was. Prints figures, never asserts a time; results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench import", description=__doc__)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--by-email", type=int, default=3_000)
    parser.add_argument("--by-name", type=int, default=3_000)
    parser.add_argument("--by-url", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction

    from accounts.models import User
    from portability import queries, services
    from portability.models import LinkedInAddress, Strength
    from portability.readers import read_linkedin
    from profiles.models import Position

    rng = random.Random(args.seed)
    figures: dict = {
        "database": connection.vendor,
        "members": User.objects.count(),
        "rows": args.rows,
    }
    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    importer_id, *others = rng.sample(ids, 1 + args.by_email + args.by_name + args.by_url)
    emails = list(
        User.objects.filter(pk__in=others[: args.by_email], email_confirmed=True).values_list(
            "display_name", "email"
        )
    )
    named_ids = others[args.by_email : args.by_email + args.by_name]
    current = dict(
        Position.objects.filter(member_id__in=named_ids, ended_on__isnull=True).values_list(
            "member_id", "company"
        )
    )
    named = [
        (name, current[pk])
        for pk, name in User.objects.filter(pk__in=named_ids).values_list("pk", "display_name")
        if pk in current
    ]
    url_ids = others[args.by_email + args.by_name :]
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    lines = []
    for name, email in emails:
        first, _, last = name.partition(" ")
        lines.append(f"{first},{last},,{email},,,12 Mar 2021")
    for name, company in named:
        first, _, last = name.partition(" ")
        lines.append(f'{first},{last},,,"{company}",Engineer,03 Feb 2019')
    for pk in url_ids:
        lines.append(f"Someone,Else,https://www.linkedin.com/in/bench-{pk}/,,,,01 Jan 2020")
    while len(lines) < args.rows:
        n = len(lines)
        lines.append(
            f"Nobody{n},Unknown{n},https://www.linkedin.com/in/nobody-{n}/,,"
            f"Nowhere {n % 997},Staff,05 May 2018"
        )
    rng.shuffle(lines)
    data = (
        '\ufeffNotes:\r\n"A bench file."\r\n\r\n' + header + "\r\n".join(lines) + "\r\n"
    ).encode()
    figures["file_mb"] = round(len(data) / 1e6, 2)
    importer = User.objects.select_related("profile").get(pk=importer_id)

    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        settings.LINKWELL_PORTABILITY_DIR = Path(folder)
        LinkedInAddress.objects.bulk_create(
            [LinkedInAddress(member_id=pk, slug=f"bench-{pk}") for pk in url_ids]
        )
        rss_before, peak_before = _rss_mb(), _peak_mb()
        started = time.perf_counter()
        read_linkedin("Connections.csv", data, limit=settings.LINKWELL_IMPORT_MAX_BYTES)
        figures["parse_s"] = time.perf_counter() - started
        started = time.perf_counter()
        source = services.start_import(
            member=importer, kind="linkedin", upload=SimpleUploadedFile("Connections.csv", data)
        )
        figures["upload_checked_s"] = time.perf_counter() - started
        job_started = time.perf_counter()
        services.run_import(source.pk)  # what the job does after the upload's commit
        figures["job_s"] = time.perf_counter() - job_started
        page_started = time.perf_counter()
        source.refresh_from_db()
        lines_page, total = queries.matches(importer, source, limit=50)
        counts = queries.counts(source)
        figures["first_page_s"] = time.perf_counter() - page_started
        figures["to_match_list_s"] = time.perf_counter() - started
        figures["rss_before_mb"] = round(rss_before, 1)
        figures["peak_rss_mb"] = round(_peak_mb(), 1)
        figures["peak_above_before_mb"] = round(_peak_mb() - max(peak_before, rss_before), 1)
        figures["matched"] = counts.get("matched")
        figures.update({f"matched_{s}": counts.get(f"matched_{s}") for s in Strength.values})
        figures["expected"] = {
            "email": len(emails),
            "name_company": len(named),
            "url": len(url_ids),
        }
        figures["state"] = source.state
        transaction.set_rollback(True)
    if args.json:
        print(json.dumps(figures, indent=1, default=str))
    else:
        for key, value in figures.items():
            print(f"{key:>22}: {round(value, 3) if isinstance(value, float) else value}")
    return 0
