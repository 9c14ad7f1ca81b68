"""Describe the Uptime Kuma SQLite database in a directory, without touching it.

Usage: python3 kuma_db.py DIR
Copies DIR/kuma.db (with kuma.db-wal and kuma.db-shm when present) to a temporary directory,
opens the copy and prints one JSON object: the result of PRAGMA integrity_check, the number of
applied Knex migrations and the last one, the number of tables, and the SHA-256 of the instance's
jwtSecret setting (created at the first start: it identifies the database, not shown itself).
"""
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile


def main():
    source = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("kuma.db", "kuma.db-wal", "kuma.db-shm"):
            if os.path.exists(os.path.join(source, name)):
                shutil.copyfile(os.path.join(source, name), os.path.join(tmp, name))
        conn = sqlite3.connect(os.path.join(tmp, "kuma.db"))
        try:
            secret = conn.execute("SELECT value FROM setting WHERE key = 'jwtSecret'").fetchone()
            print(json.dumps({
                "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
                "migrations": conn.execute("SELECT COUNT(*) FROM knex_migrations").fetchone()[0],
                "last_migration": conn.execute("SELECT name FROM knex_migrations ORDER BY id DESC LIMIT 1").fetchone()[0],
                "tables": conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0],
                "jwt_secret_sha256": hashlib.sha256(secret[0].encode()).hexdigest() if secret else "",
            }))
        finally:
            conn.close()


if __name__ == "__main__":
    main()
