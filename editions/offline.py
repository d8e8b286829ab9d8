"""Sphinx extension of both editions: no code on the pages for a service the course does not use.

Jupyter Book 1 always loads sphinx-thebe (live code through a remote Jupyter server), even with
`launch_buttons: thebe: false`, and declares its configuration twice, which the browser reports
as an error on every page ("Identifier 'THEBE_JS_URL' has already been declared"); the
configuration also names a script on a CDN. The course has no live code: drop thebe's script,
configuration and style from every page.
"""


def _is_thebe(asset):
    filename = getattr(asset, "filename", asset) or ""
    body = getattr(asset, "attributes", {}).get("body", "")
    return "thebe" in str(filename) or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def setup(app):
    app.connect("html-page-context", _drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
