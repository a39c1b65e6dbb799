"""The bare-Streamlit baseline for bench/live.py: one form that inserts a row into SQLite.

Written the way a minimal Streamlit app would be: a form with a text area and a
submit button, an on_click callback that inserts one row, and a success message.
It runs with the same .streamlit/config.toml as Samenspraak (start it from the
project root), so the comparison is Streamlit's own cost against ours.

    BASELINE_DB=/tmp/baseline.db streamlit run bench/baseline_app.py
"""

import os
import sqlite3
import threading
import time

import streamlit as st

DB = os.environ.get("BASELINE_DB", "/tmp/samenspraak-baseline.db")


@st.cache_resource
def _db() -> tuple[sqlite3.Connection, threading.Lock]:
    """One connection per process, with the same SQLite settings as Samenspraak (WAL, synchronous=NORMAL)."""
    conn = sqlite3.connect(DB, timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, created REAL)")
    return conn, threading.Lock()


def _insert() -> None:
    conn, lock = _db()
    with lock:
        conn.execute("INSERT INTO notes (text, created) VALUES (?, ?)", (st.session_state["note"], time.time()))
    st.session_state["note"] = ""
    st.session_state["sent"] = True


st.title("Baseline")
with st.form("note-form"):
    st.text_area("Jouw briefje", key="note", max_chars=280)
    st.form_submit_button("Versturen", on_click=_insert)
if st.session_state.pop("sent", False):
    st.success("Verstuurd.")
