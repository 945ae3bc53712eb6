"""LinkedIn's full data export zip: connections, messages, invitations, recommendations and
endorsements, in the column layouts of real exports (people here are made up)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from kith.core.chats import chat_contacts
from kith.core.model import Direction, Initiator, InteractionKind
from kith.io.linkedin_export import read_linkedin_export, when
from kith.io.records import FormatError

ME_URL = "https://www.linkedin.com/in/ana-lima-0a1b2c"
BEA_URL = "https://www.linkedin.com/in/bea-chen-3d4e5f"
CARL_URL = "https://www.linkedin.com/in/carl-diaz-6g7h8i"
MESSAGE_HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "ATTACHMENTS",
]


def _csv(rows: list[list[str]], preamble: str = "") -> str:
    out = io.StringIO()
    out.write(preamble)
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


ANA = ("Ana Lima", ME_URL)
BEA = ("Bea Chen", BEA_URL)
CARL = ("Carl Diaz", CARL_URL)
SAM = ("Spammy Sam", "https://www.linkedin.com/in/sam-x")
ACME = ("Acme Corp", "https://www.linkedin.com/company/acme/")
DANA = ("Dana Roy", "https://www.linkedin.com/in/dana-roy")


def _message(
    conv: str, sender: tuple[str, str], to: list[tuple[str, str]], *, at: str, folder: str = "INBOX"
) -> list[str]:
    names, urls = "; ".join(n for n, _ in to), ";".join(u for _, u in to)
    return [conv, "", *sender, names, urls, at, "", "hello\nthere", folder, ""]


def _export(tmp_path: Path, *, profile: bool = True) -> Path:
    files = {
        "Connections.csv": _csv(
            [
                [
                    "First Name",
                    "Last Name",
                    "URL",
                    "Email Address",
                    "Company",
                    "Position",
                    "Connected On",
                ],
                ["Bea", "Chen", BEA_URL, "", "Acme", "CTO", "03 Feb 2024"],
                ["Carl", "Diaz", CARL_URL, "carl@example.com", "Initech", "PM", "10 Mar 2024"],
                ["", "", "", "", "", "", "11 Mar 2024"],
            ],
            preamble='Notes:\n"When exporting your connection data, you may notice that some '
            'of the email addresses are missing."\n\n',
        ),
        "messages.csv": _csv(
            [
                MESSAGE_HEADER,
                _message("c1", BEA, [ANA], at="2024-02-05 09:00:00 UTC"),
                _message("c1", ANA, [BEA], at="2024-02-05 10:00:00 UTC"),
                _message("c1", ANA, [BEA], at="2024-04-01 08:00:00 UTC"),
                _message("c2", ANA, [BEA, CARL], at="2024-05-01 12:00:00 UTC"),
                _message("c2", CARL, [ANA, BEA], at="2024-05-01 12:30:00 UTC"),
                _message("c3", SAM, [ANA], at="2024-05-02 12:00:00 UTC", folder="SPAM"),
                _message("c4", ACME, [ANA], at="2024-05-03 12:00:00 UTC"),
                _message("c5", DANA, [ANA], at="yesterday-ish"),
            ]
        ),
        "Invitations.csv": _csv(
            [
                [
                    "From",
                    "To",
                    "Sent At",
                    "Message",
                    "Direction",
                    "inviterProfileUrl",
                    "inviteeProfileUrl",
                ],
                [
                    "Ana Lima",
                    "Bea Chen",
                    "2/1/24, 3:15 PM",
                    "Great talk at the meetup!",
                    "OUTGOING",
                    ME_URL,
                    BEA_URL,
                ],
                ["Carl Diaz", "Ana Lima", "3/9/24, 9:02 AM", "", "INCOMING", CARL_URL, ME_URL],
                ["Eve Novak", "Ana Lima", "3/9/24, 9:02 AM", "", "SIDEWAYS", "", ""],
            ]
        ),
        "Recommendations_Given.csv": _csv(
            [
                [
                    "First Name",
                    "Last Name",
                    "Company",
                    "Job Title",
                    "Text",
                    "Creation Date",
                    "Status",
                ],
                ["Bea", "Chen", "Acme", "CTO", "Bea is great.", "06/10/24, 11:00 AM", "VISIBLE"],
                ["Carl", "Diaz", "Initech", "PM", "Draft", "06/11/24, 11:00 AM", "PENDING"],
            ]
        ),
        "Recommendations_Received.csv": _csv(
            [
                [
                    "First Name",
                    "Last Name",
                    "Company",
                    "Job Title",
                    "Text",
                    "Creation Date",
                    "Status",
                ],
                ["Carl", "Diaz", "Initech", "PM", "Ana helped me.", "07/01/24, 4:30 PM", "VISIBLE"],
            ]
        ),
        "Endorsement_Given_Info.csv": _csv(
            [
                [
                    "Endorsement Date",
                    "Skill Name",
                    "Endorsee First Name",
                    "Endorsee Last Name",
                    "Endorsee Public Url",
                    "Endorsement Status",
                ],
                [
                    "2024/06/05 15:47:58 UTC",
                    "Python",
                    "Bea",
                    "Chen",
                    "www.linkedin.com/in/bea-chen-3d4e5f",
                    "ACCEPTED",
                ],
            ]
        ),
        "Endorsement_Received_Info.csv": _csv(
            [
                [
                    "Endorsement Date",
                    "Skill Name",
                    "Endorser First Name",
                    "Endorser Last Name",
                    "Endorser Public Url",
                    "Endorsement Status",
                ],
                [
                    "2024/06/06 10:00:00 UTC",
                    "Public Speaking",
                    "Carl",
                    "Diaz",
                    "www.linkedin.com/in/carl-diaz-6g7h8i",
                    "ACCEPTED",
                ],
                [
                    "2024/06/07 10:00:00 UTC",
                    "Juggling",
                    "Carl",
                    "Diaz",
                    "www.linkedin.com/in/carl-diaz-6g7h8i",
                    "REJECTED",
                ],
            ]
        ),
    }
    if profile:
        files["Profile.csv"] = _csv(
            [["First Name", "Last Name", "Maiden Name", "Headline"], ["Ana", "Lima", "", "x"]]
        )
    path = tmp_path / "Basic_LinkedInDataExport_01-02-2025.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"Basic_LinkedInDataExport_01-02-2025/{name}", "\ufeff" + text)
    return path


def test_connections_reuse_the_connections_importer(tmp_path: Path) -> None:
    export = read_linkedin_export(_export(tmp_path))
    assert [(c.name, c.met_on) for c in export.connections] == [
        ("Bea Chen", date(2024, 2, 3)),
        ("Carl Diaz", date(2024, 3, 10)),
    ]
    assert [(f, e.line) for f, e in export.errors if f == "Connections.csv"] == [
        ("Connections.csv", 7)  # a row that names nobody, reported by its line
    ]


def test_messages_become_interactions_by_who_wrote_first(tmp_path: Path) -> None:
    export = read_linkedin_export(_export(tmp_path))
    assert export.owner == "Ana Lima"
    assert export.owner_url == "www.linkedin.com/in/ana-lima-0a1b2c"
    contacts = [c for chat in export.chats() for c in chat_contacts(chat, export.me())]
    assert [(c.name, c.on, c.by, c.kind, c.unanswered) for c in contacts] == [
        ("Bea Chen", date(2024, 2, 5), Initiator.THEM, InteractionKind.MESSAGE, False),
        ("Bea Chen", date(2024, 4, 1), Initiator.ME, InteractionKind.MESSAGE, True),
        ("Carl Diaz", date(2024, 5, 1), Initiator.ME, InteractionKind.EVENT, False),
    ]
    # Spam and a company's sponsored message are no conversation; a bad date is reported.
    assert [(f, e.line, e.field) for f, e in export.errors if f == "messages.csv"] == [
        ("messages.csv", 16, "DATE")
    ]


def test_owner_is_found_without_profile_csv(tmp_path: Path) -> None:
    export = read_linkedin_export(_export(tmp_path, profile=False))
    assert export.owner == "Ana Lima"


def test_invitations_say_how_we_met_and_who_reached_out(tmp_path: Path) -> None:
    export = read_linkedin_export(_export(tmp_path))
    assert [(i.name, i.on, i.by, i.with_note) for i in export.invitations] == [
        ("Bea Chen", date(2024, 2, 1), Initiator.ME, True),
        ("Carl Diaz", date(2024, 3, 9), Initiator.THEM, False),
    ]
    assert [(f, e.field) for f, e in export.errors if f == "Invitations.csv"] == [
        ("Invitations.csv", "Direction")
    ]


def test_recommendations_and_endorsements_are_help_both_ways(tmp_path: Path) -> None:
    export = read_linkedin_export(_export(tmp_path))
    assert [(h.name, h.direction, h.what, h.weight, h.on) for h in export.help] == [
        ("Bea Chen", Direction.GIVEN, "a LinkedIn recommendation", 3, date(2024, 6, 10)),
        ("Carl Diaz", Direction.RECEIVED, "a LinkedIn recommendation", 3, date(2024, 7, 1)),
        ("Bea Chen", Direction.GIVEN, "endorsed for Python on LinkedIn", 1, date(2024, 6, 5)),
        (
            "Carl Diaz",
            Direction.RECEIVED,
            "endorsed for Public Speaking on LinkedIn",
            1,
            date(2024, 6, 6),
        ),
    ]
    assert export.help[2].url == "www.linkedin.com/in/bea-chen-3d4e5f"


def test_not_a_zip_or_an_unrelated_zip_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "export.zip"
    text.write_text("First Name,Last Name\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not a zip file"):
        read_linkedin_export(text)
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("cat.jpg", b"\xff\xd8")
    with pytest.raises(FormatError, match="no LinkedIn export files"):
        read_linkedin_export(other)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-06-11 15:33:58 UTC", datetime(2023, 6, 11, 15, 33, 58)),  # noqa: DTZ001
        ("2023/06/05 15:47:58 UTC", datetime(2023, 6, 5, 15, 47, 58)),  # noqa: DTZ001
        ("1/15/24, 2:30 PM", datetime(2024, 1, 15, 14, 30)),  # noqa: DTZ001
        ("12/1/24, 12:05 AM", datetime(2024, 12, 1, 0, 5)),  # noqa: DTZ001
        ("15 Jan 2024", datetime(2024, 1, 15)),  # noqa: DTZ001
    ],
)
def test_the_timestamp_forms_of_the_export(text: str, expected: datetime) -> None:
    assert when(text) == expected
