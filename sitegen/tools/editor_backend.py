"""The local web editor's backend (`make redactie`): Decap CMS's proxy protocol, writing content only.

Decap's `proxy` backend POSTs JSON `{action, params}` to one URL; this answers the actions of decap-server's
"fs" mode (info, entriesByFolder, entriesByFiles, getEntry, persistEntry, getMedia, getMediaFile,
persistMedia, deleteFile, deleteFiles, getDeployPreview) with the same shapes, served by the preview itself
at /api/v1 (tools/serve/), so the editor, the site and its backend share one origin and need no CORS.

What it trusts (issue 24): nothing it is handed. A request must name this server (Host 127.0.0.1:<port> or
localhost:<port>, so a DNS-rebound name is refused), a POST must come from the preview's own origin (an
Origin header is required), and every path must be one the editor's collections name (editor_backend_rules):
anything else is 403 with a short Dutch sentence, before anything is read or written. Files are read and
written without following links (serve/safefs), writes are atomic, and sizes are bounded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable

from .editor_backend_merge import merged
from .editor_backend_rules import Rules, rules_from_config
from .serve import safefs

API_PATH = "/api/v1"
MAX_REQUEST_BYTES = 40 * 1024 * 1024  # a 25 MB photo in base64, with room for the JSON around it
MAX_MEDIA_BYTES = 25 * 1024 * 1024
MAX_ENTRY_BYTES = 2 * 1024 * 1024
MAX_PATHS = 1000  # paths in one request (entriesByFiles, deleteFiles)


class Refusal(Exception):
    """A request answered with an HTTP error and a Dutch sentence (JSON {"error": ...})."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    @staticmethod
    def json(status: int, value: object) -> "Answer":
        return Answer(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))


def _shown(path: object) -> str:
    text = path if isinstance(path, str) else repr(path)
    return text if len(text) <= 120 else text[:117] + "..."


def forbidden(path: object) -> Refusal:
    return Refusal(403, f"De webeditor mag dit bestand niet lezen of veranderen: {_shown(path)}. Hij werkt "
                        "alleen met de pagina's, activiteiten, afbeeldingen en documenten in content/.")


def bad(what: str) -> Refusal:
    return Refusal(422, f"Dit verzoek aan de webeditor klopt niet ({what}).")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class EditorBackend:
    """The backend of one site, for the preview on one port; `config` gives the served admin/config.yml."""

    def __init__(self, root, port: int, config: Callable[[], bytes | None]):
        self.root = root
        self.port = port
        self.config = config
        self.hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})
        self.origins = frozenset(f"http://{host}" for host in self.hosts)
        self.writing = threading.Lock()  # one save at a time: a page and its pictures land together
        self._rules: tuple[bytes | None, Rules | None] = (None, None)

    # -- the request: who asks, and how much -------------------------------------------------------------

    def check_request(self, method: str, headers) -> None:
        """Refuse (before the body is read) a request for another host, from another origin, or too large."""
        if headers.get("Host") not in self.hosts:
            raise Refusal(403, f"De webeditor antwoordt alleen op http://127.0.0.1:{self.port}/ en "
                               f"http://localhost:{self.port}/.")
        if method != "POST":
            raise Refusal(405, "De webeditor neemt hier alleen opdrachten aan (POST).")
        if headers.get("Origin") not in self.origins:
            raise Refusal(403, "Alleen de webeditor op deze computer mag hier opslaan (open "
                               f"http://127.0.0.1:{self.port}/admin/).")
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise Refusal(415, "De webeditor neemt alleen JSON aan.")
        length = headers.get("Content-Length") or ""
        if not length.isdigit():
            raise Refusal(411, "Dit verzoek aan de webeditor zegt niet hoe groot het is.")
        if int(length) > MAX_REQUEST_BYTES:
            raise Refusal(413, self._too_large())

    @staticmethod
    def _too_large() -> str:
        return (f"Dit is te groot voor de webeditor: een bestand mag hoogstens {MAX_MEDIA_BYTES // 2**20} MB "
                "zijn. Maak de foto kleiner en probeer het opnieuw.")

    def answer(self, body: bytes) -> Answer:
        """The answer to one checked request's body: the action's result, or a refusal as JSON."""
        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[... nested too deep
            return Answer.json(400, {"error": "Dit verzoek aan de webeditor is geen geldige JSON."})
        try:
            if not isinstance(request, dict) or not isinstance(request.get("params", {}), dict):
                raise bad("geen opdracht")
            return Answer.json(200, self.run(request.get("action"), request.get("params") or {}))
        except Refusal as refusal:
            return Answer.json(refusal.status, {"error": refusal.message})
        except safefs.Refused as exc:
            return Answer.json(403, {"error": forbidden(str(exc)).message})
        except safefs.TooLarge:
            return Answer.json(413, {"error": self._too_large()})
        except OSError as exc:
            return Answer.json(500, {"error": f"Opslaan of lezen lukte niet: {exc.strerror or exc}. Staat de "
                                              "schijf vol, of is de map alleen-lezen?"})

    def rules(self) -> Rules:
        """The Rules of the config.yml now served (parsed again only when the build made a new one)."""
        text = self.config()
        if text is None:
            raise Refusal(503, "De webeditor is nog niet klaar: de site is nog niet gebouwd. Probeer het zo "
                               "nog eens.")
        seen, rules = self._rules
        if seen is not text or rules is None:
            rules = rules_from_config(text)
            self._rules = (text, rules)
        return rules

    # -- the actions ---------------------------------------------------------------------------------------

    def run(self, action: object, params: dict) -> object:
        actions = {
            "info": self.info, "entriesByFolder": self.entries_by_folder, "entriesByFiles": self.entries_by_files,
            "getEntry": self.get_entry, "persistEntry": self.persist_entry, "getMedia": self.get_media,
            "getMediaFile": self.get_media_file, "persistMedia": self.persist_media,
            "deleteFile": self.delete_file, "deleteFiles": self.delete_files,
            "getDeployPreview": lambda params, rules: None,
        }
        if not isinstance(action, str) or action not in actions:
            raise Refusal(422, f"De webeditor kent de opdracht {_shown(action)} niet.")
        return actions[action](params, self.rules())

    def info(self, params: dict, rules: Rules) -> dict:
        return {"repo": PurePosixPath(str(self.root)).name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entry(self, path: str, label: object = None) -> dict:
        """One entry as decap-server gives it: the text and a hash, or data None when there is none."""
        file: dict = {"path": path}
        if isinstance(label, str):
            file["label"] = label
        try:
            data = safefs.read(self.root, path, MAX_ENTRY_BYTES)
        except (FileNotFoundError, safefs.TooLarge):  # a link (safefs.Refused) is refused: 403
            return {"data": None, "file": {**file, "id": None}}
        return {"data": data.decode("utf-8", "replace"), "file": {**file, "id": _sha256(data)}}

    def entries_by_folder(self, params: dict, rules: Rules) -> list:
        folder, extension, depth = params.get("folder"), params.get("extension"), params.get("depth")
        if not rules.entry_folder(folder, extension, depth):
            raise forbidden(folder)
        found = [p for p in safefs.listing(self.root, folder.rstrip("/"), depth) if rules.entry(p)]
        return [self._entry(path) for path in found]

    def entries_by_files(self, params: dict, rules: Rules) -> list:
        files = params.get("files")
        if not isinstance(files, list) or len(files) > MAX_PATHS or not all(isinstance(f, dict) for f in files):
            raise bad("files")
        for item in files:
            if not rules.entry(item.get("path")):
                raise forbidden(item.get("path"))
        return [self._entry(item["path"], item.get("label")) for item in files]

    def get_entry(self, params: dict, rules: Rules) -> dict:
        path = params.get("path")
        if not rules.entry(path):
            raise forbidden(path)
        return self._entry(path)

    def _media(self, path: str) -> dict:
        data = safefs.read(self.root, path, MAX_MEDIA_BYTES)
        return {"id": _sha256(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": path, "name": PurePosixPath(path).name}

    def get_media(self, params: dict, rules: Rules) -> list:
        folder = params.get("mediaFolder")
        if not rules.media_folder(folder):
            raise forbidden(folder)
        found = []
        for path in safefs.listing(self.root, folder.rstrip("/"), 1):
            if rules.media_file(path):
                try:
                    found.append(self._media(path))
                except (OSError, safefs.Refused, safefs.TooLarge):
                    continue  # gone, swapped for a link, or too large to show: left out of the list
        return found

    def get_media_file(self, params: dict, rules: Rules) -> dict:
        path = params.get("path")
        if not rules.media_file(path):
            raise forbidden(path)
        try:
            return self._media(path)
        except FileNotFoundError:
            raise Refusal(404, f"Dit bestand bestaat niet (meer): {_shown(path)}.") from None

    @staticmethod
    def _asset(asset: object, rules: Rules) -> tuple[str, bytes]:
        """A media file to save, checked: its path, and its bytes from base64."""
        if not isinstance(asset, dict) or asset.get("encoding") != "base64" or not isinstance(
                asset.get("content"), str):
            raise bad("asset")
        path = asset.get("path")
        if not rules.media_file(path):
            raise forbidden(path)
        if len(asset["content"]) > MAX_MEDIA_BYTES * 4 // 3 + 4:
            raise safefs.TooLarge(path)
        try:
            return path, base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise bad("asset.content") from None

    @staticmethod
    def _data_files(params: dict, rules: Rules) -> list[tuple[str, bytes, str | None]]:
        """The entry files to save, checked: (path, bytes, new path or None)."""
        files = params.get("dataFiles")
        if files is None:
            files = [params.get("entry")]
        if not isinstance(files, list) or not files or len(files) > MAX_PATHS:
            raise bad("dataFiles")
        checked = []
        for item in files:
            if not isinstance(item, dict) or not isinstance(item.get("raw"), str):
                raise bad("dataFiles")
            for key in ("path", "newPath"):
                if (key == "path" or item.get(key) is not None) and not rules.entry(item.get(key)):
                    raise forbidden(item.get(key))
            moved = item.get("newPath") not in (None, "", item["path"])
            if moved and (rules.keys_of(item["path"]) is not None or rules.keys_of(item["newPath"]) is not None):
                raise forbidden(item["newPath"])  # a files collection's file (site.yaml) is never moved or replaced
            raw = item["raw"].encode("utf-8")
            if len(raw) > MAX_ENTRY_BYTES:
                raise safefs.TooLarge(item["path"])
            new = item.get("newPath")
            checked.append((item["path"], raw, new or None))
        return checked

    def persist_entry(self, params: dict, rules: Rules) -> dict:
        data_files = self._data_files(params, rules)
        assets = params.get("assets", [])
        if not isinstance(assets, list) or len(assets) > MAX_PATHS:
            raise bad("assets")
        media = [self._asset(asset, rules) for asset in assets]  # every path checked before anything is written
        with self.writing:
            for path, raw, _ in data_files:
                safefs.write(self.root, path, self._kept(path, raw, rules))
            for path, data in media:
                safefs.write(self.root, path, data)
            if all(new for _, _, new in data_files):
                for path, _, new in data_files:
                    if new != path:
                        safefs.move(self.root, path, new)
        return {"message": "entry persisted"}

    def _kept(self, path: str, raw: bytes, rules: Rules) -> bytes:
        """The save merged into the file on disk (editor_backend_merge): unchanged values keep their lines,
        and in a files collection's file only its form's keys change."""
        try:
            old = safefs.read(self.root, path, MAX_ENTRY_BYTES).decode("utf-8")
        except FileNotFoundError:
            old = None
        except (UnicodeDecodeError, safefs.TooLarge):
            old = None  # not text we can merge into: the form's text replaces it
        keys = rules.keys_of(path)
        if keys is not None and old is None:
            raise forbidden(path)  # a files collection changes its file; it never makes a new one
        text = merged(path, old, raw.decode("utf-8"), keys)
        return text.encode("utf-8")

    def persist_media(self, params: dict, rules: Rules) -> dict:
        path, data = self._asset(params.get("asset"), rules)
        with self.writing:
            safefs.write(self.root, path, data)
            return self._media(path)

    def _deletable(self, paths: object, rules: Rules) -> list[str]:
        if not isinstance(paths, list) or not paths or len(paths) > MAX_PATHS:
            raise bad("paths")
        for path in paths:
            if not (rules.entry(path) or rules.media_file(path)) or rules.keys_of(path) is not None:
                raise forbidden(path)  # a files collection's file (site.yaml) is never deleted
        return list(paths)

    def delete_file(self, params: dict, rules: Rules) -> dict:
        (path,) = self._deletable([params.get("path")], rules)
        with self.writing:
            safefs.remove(self.root, path)
        return {"message": f"deleted file {path}"}

    def delete_files(self, params: dict, rules: Rules) -> dict:
        paths = self._deletable(params.get("paths"), rules)
        with self.writing:
            for path in paths:
                safefs.remove(self.root, path)
        return {"message": f"deleted files {', '.join(paths)}"}
