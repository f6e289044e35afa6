"""Module aliases that name a real module under another path.

``six.moves`` re-exports the Python 3 modules under Python 2 compatible names, and
requests vendored urllib3 as ``requests.packages.urllib3`` (today an alias of
``urllib3`` itself). Resolving them to the real module lets a rule written for
``http.client.HTTPSConnection`` see ``six.moves.http_client.HTTPSConnection`` too.
"""

from __future__ import annotations

# The first three parts of an aliased qualified name -> what they stand for.
_ALIASES = {
    "requests.packages.urllib3": "urllib3",
    "requests.packages.chardet": "chardet",
    "requests.packages.idna": "idna",
    # six.moves: the moved modules and the moved attributes of modules.
    "six.moves.BaseHTTPServer": "http.server",
    "six.moves.CGIHTTPServer": "http.server",
    "six.moves.SimpleHTTPServer": "http.server",
    "six.moves.UserDict": "collections.UserDict",
    "six.moves.UserList": "collections.UserList",
    "six.moves.UserString": "collections.UserString",
    "six.moves._thread": "_thread",
    "six.moves.builtins": "builtins",
    "six.moves.cPickle": "pickle",
    "six.moves.configparser": "configparser",
    "six.moves.copyreg": "copyreg",
    "six.moves.dbm_gnu": "dbm.gnu",
    "six.moves.email_mime_base": "email.mime.base",
    "six.moves.email_mime_image": "email.mime.image",
    "six.moves.email_mime_multipart": "email.mime.multipart",
    "six.moves.email_mime_nonmultipart": "email.mime.nonmultipart",
    "six.moves.email_mime_text": "email.mime.text",
    "six.moves.filter": "builtins.filter",
    "six.moves.filterfalse": "itertools.filterfalse",
    "six.moves.getcwd": "os.getcwd",
    "six.moves.getcwdb": "os.getcwdb",
    "six.moves.getoutput": "subprocess.getoutput",
    "six.moves.html_entities": "html.entities",
    "six.moves.html_parser": "html.parser",
    "six.moves.http_client": "http.client",
    "six.moves.http_cookiejar": "http.cookiejar",
    "six.moves.http_cookies": "http.cookies",
    "six.moves.input": "builtins.input",
    "six.moves.intern": "sys.intern",
    "six.moves.map": "builtins.map",
    "six.moves.queue": "queue",
    "six.moves.range": "builtins.range",
    "six.moves.reduce": "functools.reduce",
    "six.moves.reload_module": "importlib.reload",
    "six.moves.reprlib": "reprlib",
    "six.moves.shlex_quote": "shlex.quote",
    "six.moves.socketserver": "socketserver",
    "six.moves.urllib": "urllib",
    "six.moves.urllib_error": "urllib.error",
    "six.moves.urllib_parse": "urllib.parse",
    "six.moves.urllib_robotparser": "urllib.robotparser",
    "six.moves.xmlrpc_client": "xmlrpc.client",
    "six.moves.xmlrpc_server": "xmlrpc.server",
    "six.moves.xrange": "builtins.range",
    "six.moves.zip": "builtins.zip",
    "six.moves.zip_longest": "itertools.zip_longest",
}
_PREFIXES = ("six.moves.", "requests.packages.")


def canonical(qualname: str) -> str:
    """The real name behind an aliased qualified name; any other name unchanged."""
    if not qualname.startswith(_PREFIXES):
        return qualname
    parts = qualname.split(".", 3)
    real = _ALIASES.get(".".join(parts[:3]))
    if real is None:
        return qualname
    return real if len(parts) == 3 else f"{real}.{parts[3]}"
