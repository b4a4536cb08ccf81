"""A plain connection to the tests' PostgreSQL server (outside Odoo's
cursors), for the tests that create and drop databases of their own."""

import psycopg2

from odoo.tools import config


def connect(dbname):
    params = {
        key: config[f"db_{key}"]
        for key in ("host", "port", "user", "password")
        if config[f"db_{key}"]
    }
    conn = psycopg2.connect(dbname=dbname, **params)
    conn.autocommit = True
    return conn
