"""Real-looking LinkedIn and Mastodon files, written by the tests themselves: LinkedIn's
"Notes:" preamble before Connections.csv's header, a BOM, CRLF line ends, quoted commas and
newlines, blank e-mail addresses, names beyond ASCII."""

import csv
import io
import zipfile
from dataclasses import dataclass

NOTES = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    'https://www.linkedin.com/psettings/privacy/email."\r\n'
    "\r\n"
)
CONNECTION_COLUMNS = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]


@dataclass
class Contact:
    first: str
    last: str
    url: str = ""
    email: str = ""
    company: str = ""
    position: str = ""
    connected_on: str = "12 Mar 2021"


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def connections_csv(contacts: list[Contact], *, bom: bool = True) -> bytes:
    body = NOTES + _csv(
        CONNECTION_COLUMNS,
        [
            [c.first, c.last, c.url, c.email, c.company, c.position, c.connected_on]
            for c in contacts
        ],
    )
    return ("\ufeff" if bom else "").encode() + body.encode("utf-8")


def profile_csv(**fields) -> bytes:
    header = [
        "First Name",
        "Last Name",
        "Maiden Name",
        "Address",
        "Birth Date",
        "Headline",
        "Summary",
        "Industry",
        "Zip Code",
        "Geo Location",
        "Twitter Handles",
        "Websites",
        "Instant Messengers",
    ]
    row = [fields.get(h, "") for h in header]
    return ("\ufeff" + _csv(header, [row])).encode()


def positions_csv(rows) -> bytes:
    header = ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"]
    return _csv(header, rows).encode()


def education_csv(rows) -> bytes:
    header = ["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"]
    return _csv(header, rows).encode()


def skills_csv(names) -> bytes:
    return _csv(["Name"], [[n] for n in names]).encode()


def _entry(name: str) -> zipfile.ZipInfo:
    """A fixed time, so the same files make the same bytes (the same import, by digest)."""
    return zipfile.ZipInfo(name, date_time=(2024, 5, 1, 12, 0, 0))


def linkedin_zip(files: dict[str, bytes], *, folder: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(_entry(folder + name), data, zipfile.ZIP_DEFLATED)
        not_read = "Member Age\r\n25-34\r\n"  # one of LinkedIn's files we don't use
        archive.writestr(_entry(folder + "Ad_Targeting.csv"), not_read, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sample_export(contacts: list[Contact]) -> bytes:
    """A whole export: profile, two positions (one with a quoted, multi-line description),
    education, skills, connections."""
    return linkedin_zip(
        {
            "Profile.csv": profile_csv(
                **{
                    "First Name": "Zoë",
                    "Last Name": "Łukasiewicz",
                    "Headline": "Data, ethics & maps",
                    "Summary": "Line one,\nline two",
                    "Industry": "Research",
                    "Geo Location": "Kraków",
                }
            ),
            "Positions.csv": positions_csv(
                [
                    [
                        "Hazelmark",
                        "Analyst",
                        "Maps, mostly.\nAnd models.",
                        "Kraków",
                        "Mar 2021",
                        "",
                    ],
                    ["Oldco", "Intern", "", "", "Jun 2019", "Feb 2021"],
                ]
            ),
            "Education.csv": education_csv(
                [["Jagiellonian University", "2015", "2019", "", "MSc", ""]]
            ),
            "Skills.csv": skills_csv(["Cartography", "Python"]),
            "Connections.csv": connections_csv(contacts),
        }
    )


def zip_bomb(size: int = 20 * 1024 * 1024) -> bytes:
    """A Connections.csv that claims little and unpacks to far more than allowed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "Connections.csv",
            NOTES + ",".join(CONNECTION_COLUMNS) + "\r\n" + "a" * size,
        )
    return out.getvalue()


def zip_with_path(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Connections.csv", connections_csv([]))
        archive.writestr(name, "x")
    return out.getvalue()
