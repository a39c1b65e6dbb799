"""AppTest of partnerships (issue 15): the outsider with the same name, /nieuw choosing a partnership
by its link, the partnership page, and joining a workshop on purpose; on both databases."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from apptest import labels, open_page, page_text, set_programme
from helpers import make_app_room
from messages import t

SECRET_OWNER = "Jan Jansen"
SECRET_WHAT = "Stagebank Twente opzetten"


def _partnership(store, name: str = "Regio Twente"):
    partnership, secret = store.create_partnership(name)
    return partnership, secret, store.open_partnership(partnership.id, secret)


def _visible(at) -> str:
    """The page's text without link targets (the holder's own links carry the secret, not the text)."""
    return re.sub(r'href="[^"]*"', "", page_text(at))


def _created_links(at) -> tuple[str, str]:
    fac_link = next(c.value for c in at.code if "begeleider" in c.value)
    return fac_link.split("room=")[1].split("&")[0], fac_link.split("key=")[1]


def test_outsider_with_the_same_name_sees_nothing_on_the_cockpit_and_screen(app_store):
    _, _, member = _partnership(app_store)
    a = make_app_room(app_store, ("followup",), member_of=member, title="Sessie A", day=date(2026, 3, 1))
    app_store.add_action(a.fac, what=SECRET_WHAT, owner=SECRET_OWNER, partner="ROC van Twente",
                         due=date(2026, 6, 1))

    # the outsider makes workshop B on /nieuw, with the same name typed a little differently
    at = set_programme(open_page("new"), ["followup"])
    at.text_input(key="new-title").input("Sessie B")
    at.text_input(key="new-partnership").input("regio-twente")
    at.button[0].click().run()
    assert not at.exception and at.success[0].value == t("new.created")
    code, secret = _created_links(at)
    b = app_store.workshop_by_code(code)
    assert b.partnership_id is None

    fac = open_page("facilitator", room=code, key=secret)
    screen = open_page("screen", room=code)
    for page in (fac, screen):
        assert not page.exception
        text = page_text(page)
        assert SECRET_OWNER not in text and SECRET_WHAT not in text and "Sessie A" not in text
        assert t("followup.review_title") not in text
    # B's cockpit cannot open A's, nor A's partnership page
    assert t("fac.no_access") in page_text(open_page("facilitator", room=a.ws.code, key=secret))
    assert page_text(open_page("partnership", p=str(member.partnership_id), key=secret)).count(
        t("partnership.no_access")) == 1


def test_new_workshop_in_a_new_partnership_then_in_the_opened_one(app_store):
    at = set_programme(open_page("new"), ["followup"])
    at.text_input(key="new-title").input("Startsessie")
    at.text_input(key="new-partnership").input("SO&P Noord")
    at.selectbox(key="new-partnership-choice").set_value("new")
    at.button[0].click().run()
    assert not at.exception
    assert t("partnership.created", name="SO&P Noord") in page_text(at)
    assert t("partnership.keep_link") in [w.value for w in at.warning]
    ps_link = next(c.value for c in at.code if "/partnerschap?" in c.value)
    pid, ps_secret = ps_link.split("p=")[1].split("&")[0], ps_link.split("key=")[1]
    assert len(ps_secret) >= 22  # >= 128 bits
    code, _ = _created_links(at)
    first = app_store.workshop_by_code(code)
    assert first.partnership_id == int(pid) and first.partnership == "SO&P Noord"

    # the same browser session offers the partnership it just made
    at.button(key="created-again").click().run()
    box = at.selectbox(key="new-partnership-choice")
    assert t("new.partnership_opened", name="SO&P Noord") in box.options
    at.text_input(key="new-title").input("Vervolgsessie")
    box.set_value(int(pid))  # the programme stays as it was made: followup only
    at.button[0].click().run()
    assert not at.exception
    code2, _ = _created_links(at)
    assert app_store.workshop_by_code(code2).partnership_id == int(pid)
    assert t("partnership.keep_link") not in [w.value for w in at.warning]  # shown once, with its creation


def test_a_fresh_browser_cannot_pick_a_partnership_and_a_bad_link_is_refused(app_store):
    partnership, secret, _ = _partnership(app_store)
    at = open_page("new")
    assert at.selectbox(key="new-partnership-choice").options == [t("new.partnership_none"),
                                                                   t("new.partnership_new")]
    at.text_input(key="new-title").input("Sessie")
    at.text_input(key="new-partnership").input("Regio Twente")
    at.text_input(key="new-partnership-link").input(
        f"http://localhost:8501/partnerschap?p={partnership.id}&key={secret[:-2]}xx")
    at.button[0].click().run()
    assert at.error[0].value == t("error.not_partnership")
    assert at.text_input(key="new-title").value == "Sessie"  # what was typed is kept
    at.text_input(key="new-partnership-link").input("gewoon een naam")
    at.button[0].click().run()
    assert at.error[0].value == t("partnership.x_link")
    at.text_input(key="new-partnership-link").input(f"http://localhost:8501/partnerschap?p={partnership.id}&key={secret}")
    at.button[0].click().run()
    assert not at.exception and at.success[0].value == t("new.created")
    code, _ = _created_links(at)
    assert app_store.workshop_by_code(code).partnership_id == partnership.id


def test_partnership_page_shows_workshops_and_agreements(app_store):
    partnership, secret, member = _partnership(app_store)
    today = date.today()
    later = make_app_room(app_store, ("followup",), member_of=member, title="Tweede sessie", day=date(2026, 9, 1))
    first = make_app_room(app_store, ("followup",), member_of=member, title="Eerste sessie", day=date(2026, 2, 1))
    app_store.add_action(first.fac, what="Te laat", owner="Jan", partner="ROC", due=today - timedelta(days=3))
    app_store.add_action(first.fac, what="Gedaan", owner="Jan", status="klaar", due=today - timedelta(days=3))
    app_store.add_action(later.fac, what="Loopt", owner="Ans", status="bezig")
    outsider = make_app_room(app_store, ("followup",), partnership="Regio Twente", title="Buitenstaander")
    app_store.add_action(outsider.fac, what="Van een buitenstaander", owner="Jan")

    at = open_page("partnership", p=str(partnership.id), key=secret)
    assert not at.exception
    text = page_text(at)
    assert t("partnership.title", name="Regio Twente") in text
    assert text.index("Eerste sessie") < text.index("Tweede sessie")
    assert "Buitenstaander" not in text and "Van een buitenstaander" not in text
    assert secret not in _visible(at)
    # links to steer each workshop through the partnership link
    hrefs = html.unescape("".join(h.proto.body for h in at.get("html")))
    assert f"/begeleider?room={first.ws.code}&partnerschap={partnership.id}&pkey={secret}" in hrefs
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {t("partnership.count_open"): "1", t("partnership.count_busy"): "1",
                       t("partnership.count_done"): "1", t("partnership.count_overdue"): "1"}
    [agreements] = [el for el in at.data_editor if el.key.startswith("ps-agreements-")]
    by_owner, by_partner = (d.value for d in at.dataframe if d.key is None or not d.key.startswith("ps-agreements"))
    assert agreements.value["what"].tolist() == ["Te laat", "Gedaan", "Loopt"]
    assert agreements.value["overdue"].tolist() == [True, False, False]
    assert agreements.value["workshop"].tolist()[0] == "Eerste sessie (1 februari 2026)"
    jan = by_owner[by_owner[t("partnership.col.who")] == "Jan"].iloc[0]
    assert (jan[t("partnership.col.total")], jan[t("partnership.count_overdue")]) == (2, 1)
    assert t("partnership.nobody") in by_partner[t("partnership.col.partner")].tolist()
    assert t("partnership.new_workshop_open", count=2) in text


def test_partnership_page_without_the_right_link(app_store):
    partnership, secret, _ = _partnership(app_store)
    for params in ({"p": str(partnership.id), "key": "fout"}, {"p": "999", "key": secret},
                   {"p": "x", "key": secret}, {"p": str(partnership.id)}):
        at = open_page("partnership", **params)
        assert not at.exception
        assert [e.value for e in at.error] == [t("partnership.no_access")]
        assert "Regio Twente" not in page_text(at)


def test_new_workshop_from_the_partnership_page_brings_the_open_agreements(app_store):
    partnership, secret, member = _partnership(app_store)
    first = make_app_room(app_store, ("followup",), member_of=member, title="Eerste sessie", day=date(2026, 2, 1))
    aid = app_store.add_action(first.fac, what=SECRET_WHAT, owner=SECRET_OWNER)
    at = set_programme(open_page("partnership", p=str(partnership.id), key=secret), ["followup"], prefix="ps-new")
    at.text_input(key="ps-new-title").input("Tweede sessie")
    at.button(key="FormSubmitter:ps-new-form-" + t("new.submit")).click().run()
    assert not at.exception
    code, fac_secret = _created_links(at)
    ws = app_store.workshop_by_code(code)
    assert ws.partnership_id == partnership.id and ws.title == "Tweede sessie"
    assert [a["id"] for a in app_store.earlier_open_actions(ws.id)] == [aid]
    fac = open_page("facilitator", room=code, key=fac_secret)
    assert t("followup.review_title") in page_text(fac)
    [review] = [el.value for el in fac.data_editor if el.key.startswith("fu-review-")]
    assert review["owner"].tolist() == [SECRET_OWNER]


def test_cockpit_through_the_partnership_link(app_store):
    partnership, secret, member = _partnership(app_store)
    inside = make_app_room(app_store, ("brainstorm", "followup"), member_of=member, title="Binnen")
    outside = make_app_room(app_store, ("followup",), partnership="Regio Twente", title="Buiten")
    at = open_page("facilitator", room=inside.ws.code, partnerschap=str(partnership.id), pkey=secret)
    assert not at.exception
    text = page_text(at)
    assert t("fac.title", title="Binnen") in text and t("fac.via_partnership", name="Regio Twente") in text
    assert t("fac.own_link") not in labels(at)  # the workshop's own secret is not known here
    at.button(key="step-next").click().run()  # and it steers
    assert not at.exception and app_store.workshop(inside.ws.id).current_step == 1
    for params in ({"room": outside.ws.code, "partnerschap": str(partnership.id), "pkey": secret},
                   {"room": inside.ws.code, "partnerschap": str(partnership.id), "pkey": "fout"}):
        denied = open_page("facilitator", **params)
        assert t("fac.no_access") in page_text(denied) and "Buiten" not in page_text(denied)


def test_joining_a_workshop_needs_both_links(app_store):
    partnership, secret, member = _partnership(app_store)
    earlier = make_app_room(app_store, ("followup",), member_of=member, title="Eerder", day=date(2026, 1, 5))
    app_store.add_action(earlier.fac, what=SECRET_WHAT, owner=SECRET_OWNER)
    loose = make_app_room(app_store, ("followup",), partnership="Regio Twente", title="Los")
    assert app_store.earlier_open_actions(loose.ws.id) == []

    # from the facilitator page: paste the partnership link
    fac = loose.facilitator_page()
    assert t("fac.partnership_none") in page_text(fac)
    fac.text_input(key="fac-partnership-link").input("Regio Twente")
    fac.button(key="fac-partnership-attach").click().run()
    assert t("partnership.x_link") in [e.value for e in fac.error]
    assert app_store.workshop(loose.ws.id).partnership_id is None
    fac.text_input(key="fac-partnership-link").input(f"http://localhost:8501/partnerschap?p={partnership.id}&key={secret}")
    fac.button(key="fac-partnership-attach").click().run()
    assert not fac.exception
    assert app_store.workshop(loose.ws.id).partnership_id == partnership.id
    assert [a["what"] for a in app_store.earlier_open_actions(loose.ws.id)] == [SECRET_WHAT]

    # from the partnership page: paste a workshop's facilitator link
    other = make_app_room(app_store, ("followup",), partnership="Iets", title="Nog een")
    at = open_page("partnership", p=str(partnership.id), key=secret)
    at.text_input(key="ps-attach-link").input(f"http://localhost:8501/begeleider?room={other.ws.code}&key=fout")
    at.button(key="ps-attach-go").click().run()
    assert [e.value for e in at.error] == [t("error.not_facilitator")]
    at.text_input(key="ps-attach-link").input(f"http://localhost:8501/begeleider?room={other.ws.code}&key={other.secret}")
    at.button(key="ps-attach-go").click().run()
    assert not at.exception
    assert t("partnership.attached", title="Nog een") in page_text(at)
    assert app_store.workshop(other.ws.id).partnership_id == partnership.id


def test_create_a_partnership_on_its_own(app_store):
    at = open_page("partnership")
    assert t("partnership.new_title") in page_text(at)
    at.text_input(key="ps-name").input("   ")
    at.button[0].click().run()
    assert at.error[0].value == t("error.empty", label=t("field.partnership"))
    at.text_input(key="ps-name").input("Onderwijsregio <b>Oost</b>")
    at.button[0].click().run()
    assert not at.exception
    assert t("partnership.keep_link") in [w.value for w in at.warning]
    [url] = [c.value for c in at.code]
    pid, secret = url.split("p=")[1].split("&")[0], url.split("key=")[1]
    assert app_store.partnership(int(pid)).name == "Onderwijsregio <b>Oost</b>"
    page = open_page("partnership", p=pid, key=secret)
    assert not page.exception and "<b>Oost</b>" in page_text(page)


def test_partnership_page_updates_status_and_review_of_its_agreements(app_store):
    partnership, secret, member = _partnership(app_store)
    room = make_app_room(app_store, ("followup",), member_of=member, title="Eerste sessie")
    aid = app_store.add_action(room.fac, what="Stagebank", owner="Jan")
    at = open_page("partnership", p=str(partnership.id), key=secret)
    [editor] = [el for el in at.data_editor if el.key.startswith("ps-agreements-")]
    at.session_state[editor.key] = {"edited_rows": {0: {"status": "klaar", "review_note": "Staat sinds mei",
                                                        "what": "Ongeoorloofd herschreven"}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    [row] = app_store.actions(room.ws.id)
    assert (row["id"], row["status"], row["review_note"], row["what"]) == (aid, "klaar", "Staat sinds mei",
                                                                           "Stagebank")
    assert {m.label: m.value for m in at.metric}[t("partnership.count_done")] == "1"


def test_partnership_page_shows_trend_follow_through_and_the_voortgangsverslag(app_store):
    """Five generated workshops in one partnership: the page calls out the change since last time per aspect,
    counts what became of the agreements, and builds the voortgangsverslag with the same figures."""
    import io

    import pypdf

    from exports import progress as P
    from exports.demo import generate
    from exports.snapshot import snapshot

    _, secret, access = _partnership(app_store, "STO Twente")
    ids = []
    for seed in range(5):
        ws, ws_secret = generate(app_store, 8, seed=seed)
        app_store.attach_workshop(app_store.authorize(ws.code, ws_secret), access)
        ids.append(ws.id)
    assert [w["id"] for w in app_store.partnership_workshops(access)] == ids  # same date: creation order
    assert app_store.previous_workshop(ids[3]) == ids[2] and app_store.previous_workshop(ids[0]) is None

    snaps = [snapshot(app_store, i) for i in ids]
    changes = P.praat_trend(snaps).changes()
    made = P.follow_through(snaps, date.today()).total.made
    assert changes and made

    at = open_page("partnership", p=str(access.partnership_id), key=secret)
    assert not at.exception
    text = html.unescape(page_text(at))
    assert t("partnership.reports") in text
    for change in changes:
        assert change.text_with_delta in text
    assert P.follow_text(P.follow_through(snaps, date.today())) in text
    assert at.get("plotly_chart"), "the trend chart of the chosen aspect"

    at.button(key=f"make-ps-progress-pdf-{access.partnership_id}").click().run()
    assert not at.exception
    assert at.get("download_button"), "the voortgangsverslag is offered for download"
    pdf = at.session_state[f"ps-progress-pdf-{access.partnership_id}"]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pdf_text = " ".join(page.extract_text() for page in reader.pages)
    assert t("progress.title") in pdf_text
    assert changes[0].title in pdf_text
