import os
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/books")
def books():
    title = request.args.get("title")
    cur = sqlite3.connect("books.db").cursor()
    cur.execute("SELECT * FROM books WHERE title = '%s'" % title)
    return {"books": cur.fetchall()}


@app.route("/convert")
def convert():
    name = request.args.get("file")
    os.system("convert " + name + " out.png")
    return "ok"
