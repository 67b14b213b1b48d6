"""A fake Telegram Bot API server for tests and manual runs.

Why: the machine that runs our tests has no internet and no Telegram, yet we want to
exercise the *real* python-telegram-bot (PTB) stack over HTTP – request encoding, polling,
error mapping, file downloads – rather than mocking PTB away. This module serves the
subset of the Bot API that Herstelgids uses at ``/bot<token>/<method>`` on 127.0.0.1 and
gives tests an in-process control surface (:class:`FakeBotApi`) to play the Telegram user:
inject updates, then wait for and inspect what the bot sent back.

Behaviour deliberately mirrors the real API where a bot can trip over it: HTTP status equals
``error_code``; unknown chats, blocked users, empty or over-long texts, broken HTML markup,
invalid ``callback_data``, "message is not modified" edits and unknown callback query ids
all fail like Telegram does, so those bugs surface in tests instead of in production.
Unknown methods are recorded and answered with ``{"ok": true, "result": true}`` so a new
PTB call never hangs a test; tests can assert on them via :meth:`FakeBot.calls`.

Run standalone (for manual testing with a real bot process)::

    python -m tests.fakes.bot_api --port 8081 --token 123:ABC
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import mimetypes
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientSession, ClientTimeout, web

JSON = dict[str, Any]
ChatId = int | str
BotMessageListener = Callable[[ChatId, JSON], None]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# Update types Telegram leaves out unless they are requested explicitly.
_OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Form/multipart values are JSON-encoded by PTB unless they are plain strings; these
# parameters are always strings and must never be JSON-decoded ("123" stays "123").
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "file_id",
        "ip_address",
        "language_code",
        "action",
        "emoji",
        "title",
        "performer",
        "business_connection_id",
        "message_effect_id",
        "description",
        "short_description",
        "name",
    }
)
_BUTTON_ACTION_FIELDS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
# Media the bot can send: method -> (parameter, message field, file_path folder, default mime).
_MEDIA_METHODS: dict[str, tuple[str, str, str, str]] = {
    "senddocument": ("document", "document", "documents", "application/octet-stream"),
    "sendphoto": ("photo", "photo", "photos", "image/jpeg"),
    "sendaudio": ("audio", "audio", "music", "audio/mpeg"),
    "sendvoice": ("voice", "voice", "voice", "audio/ogg"),
    "sendvideo": ("video", "video", "videos", "video/mp4"),
    "sendanimation": ("animation", "animation", "animations", "video/mp4"),
    "sendsticker": ("sticker", "sticker", "stickers", "image/webp"),
}
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class ApiError(Exception):
    """An error answer of the Bot API; raised inside method handlers, rendered as JSON."""

    def __init__(self, error_code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


class Disconnect(Exception):
    """A failure that closes the connection without an answer (a network blip)."""


@dataclass
class UploadedFile:
    """A multipart file part as the bot uploaded it (kept so tests can inspect the bytes)."""

    field_name: str
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass
class StoredFile:
    """A file known to the fake, downloadable via getFile and ``/file/bot<token>/<path>``."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    filename: str | None = None
    mime_type: str | None = None
    source_url: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes, as reported in ``file_size``."""
        return len(self.content)


@dataclass
class RecordedCall:
    """One request a bot made to the fake, with its decoded parameters and outcome."""

    method: str
    params: JSON
    ok: bool = True
    error: str | None = None
    at: float = field(default_factory=time.time)


def _utf16_len(text: str) -> int:
    """Telegram measures offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _as_chat_id(value: Any) -> ChatId:
    """Normalise a chat_id the way Telegram does: numeric strings are ids, others usernames."""
    if isinstance(value, bool):
        raise ApiError(400, "Bad Request: chat not found")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def _decode_form_value(name: str, value: str) -> Any:
    """Undo PTB's encoding of form fields: JSON for non-strings, raw text for strings."""
    if name in _STRING_PARAMS or value.startswith("attach://"):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _int_param(params: JSON, name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: wrong parameter {name} specified") from None


def _json_param(params: JSON, name: str) -> Any:
    """Parameters such as reply_markup may arrive as JSON text even in JSON bodies."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    return value


class _TelegramHtml(HTMLParser):
    """Turns Telegram-flavoured HTML into plain text plus entities, failing like Telegram."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=True)
        self._raw = raw
        self._line_starts = [0]
        for index, char in enumerate(raw):
            if char == "\n":
                self._line_starts.append(index + 1)
        self._parts: list[str] = []
        self._u16 = 0
        self._stack: list[tuple[str, JSON | None]] = []
        self.entities: list[JSON] = []

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        return len(self._raw[: self._line_starts[line - 1] + column].encode())

    def _fail(self, reason: str) -> ApiError:
        return ApiError(400, f"Bad Request: can't parse entities: {reason}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        entity_type = _HTML_ENTITY_TYPES.get(tag)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            entity_type = None
        if entity_type is None:
            raise self._fail(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}')
        if tag == "code" and self._stack and self._stack[-1][0] == "pre":
            pre_entity = self._stack[-1][1]
            language = attributes.get("class") or ""
            if pre_entity is not None and language.startswith("language-"):
                pre_entity["language"] = language.removeprefix("language-")
                self._stack.append((tag, None))
                return
        entity: JSON = {"type": entity_type, "offset": self._u16}
        if tag == "a":
            href = attributes.get("href") or ""
            if not href:
                self._stack.append((tag, None))
                return
            entity["url"] = href
        if tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        if tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id") or ""
        self._stack.append((tag, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self._stack or self._stack[-1][0] != tag:
            expected = f'"</{self._stack[-1][0]}>"' if self._stack else "no end tag"
            raise self._fail(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected {expected}, found "</{tag}>"'
            )
        _, entity = self._stack.pop()
        if entity is not None and self._u16 > entity["offset"]:
            entity["length"] = self._u16 - entity["offset"]
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self._parts.append(data)
        self._u16 += _utf16_len(data)

    def result(self) -> tuple[str, list[JSON]]:
        """Plain text and entities sorted the way Telegram returns them."""
        self.feed(self._raw)
        self.close()
        if self._stack:
            tag = self._stack[-1][0]
            raise self._fail(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self._parts), self.entities


def _format_text(params: JSON, key: str, limit: int, too_long: str) -> tuple[str | None, Any]:
    """Apply parse_mode/entities like Telegram and enforce the length limit."""
    raw = params.get(key)
    if raw is None:
        return None, None
    text = str(raw)
    entities = _json_param(params, key + "_entities" if key == "caption" else "entities")
    parse_mode = params.get("parse_mode")
    if not entities and parse_mode:
        mode = str(parse_mode).lower()
        if mode == "html":
            text, entities = _TelegramHtml(text).result()
        elif mode not in ("markdown", "markdownv2"):
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        # Markdown modes are passed through unparsed: the fake does not emulate them.
    if _utf16_len(text) > limit:
        raise ApiError(400, too_long)
    return text, entities or None


def _validate_inline_keyboard(markup: JSON) -> None:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, "Bad Request: can't parse inline keyboard: field must be an Array")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(
                    400, "Bad Request: can't parse inline keyboard button: Text is empty"
                )
            if not _BUTTON_ACTION_FIELDS & button.keys():
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _callback_datas(message: JSON) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [
        str(button["callback_data"])
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]


def _summarise(message: JSON) -> str:
    """One line per bot message for assertion errors and the REPL."""
    kind = next(
        (k for k in ("text", *(m[1] for m in _MEDIA_METHODS.values())) if k in message), "?"
    )
    if kind == "text":
        body = repr(message["text"])
    elif kind == "document":
        body = f"document {message['document'].get('file_name')!r}"
    else:
        body = kind
    if message.get("caption"):
        body += f" caption={message['caption']!r}"
    buttons = _callback_datas(message)
    if buttons:
        body += f" buttons={buttons}"
    edited = " (edit)" if "edit_date" in message else ""
    return f"#{message.get('message_id')}{edited} {body}"


class FakeBot:
    """State and test helpers for one bot token on the fake server.

    Why separate from the server: a test may run several bots (tokens) against one fake;
    each has its own updates queue, chats, files and call log, just like on Telegram.
    """

    def __init__(self, token: str, *, username: str, first_name: str) -> None:
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 1
        self.user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.strict_chats = True
        self._changed = asyncio.Event()
        self._closing = False
        self._updates: list[JSON] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._webhook: JSON = {"url": ""}
        self._users: dict[int, JSON] = {}
        self._chats: dict[ChatId, JSON] = {}
        self._blocked: set[int] = set()
        self._next_message_id: dict[ChatId, int] = {}
        self._messages: dict[tuple[ChatId, int], JSON] = {}
        self._timeline: dict[ChatId, list[JSON]] = {}
        self._cursors: dict[ChatId, int] = {}
        self._actions: dict[ChatId, list[str]] = {}
        self._calls: list[RecordedCall] = []
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = 0
        self._callback_queries: dict[str, JSON] = {}
        self._callback_counter = 0
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._failures: dict[str, list[ApiError | Disconnect]] = {}
        self._listeners: list[BotMessageListener] = []
        self.unknown_methods: list[str] = []

    # ------------------------------------------------------------------ waiting
    def _notify(self) -> None:
        """Wake every waiter (long polls, wait_for_*); the Event swap makes it a broadcast."""
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def _wait_change(self, timeout: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._changed.wait(), max(timeout, 0.0))

    # ------------------------------------------------------------------ users and chats
    def _remember_user(
        self,
        user_id: int,
        first_name: str | None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        user = self._users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": "Sam"}
        if first_name is not None:
            user["first_name"] = first_name
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        self._users[user_id] = user
        self._blocked.discard(user_id)  # a user who writes to the bot has unblocked it
        return dict(user)

    def _remember_chat(
        self, user: JSON, chat_id: int | None, chat_type: str, chat_title: str | None
    ) -> JSON:
        if chat_type == "private":
            if chat_id is not None and chat_id != user["id"]:
                raise ValueError("a private chat's id must equal the user id")
            chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
        elif chat_type in ("group", "supergroup", "channel"):
            if chat_id is None or chat_id >= 0:
                raise ValueError(f"a {chat_type} needs an explicit negative chat_id")
            previous = self._chats.get(chat_id, {})
            chat = {
                "id": chat_id,
                "type": chat_type,
                "title": chat_title or previous.get("title") or "Test group",
            }
        else:
            raise ValueError(f"unknown chat_type {chat_type!r}")
        self._chats[chat["id"]] = chat
        return dict(chat)

    def add_chat(
        self,
        chat_id: int,
        *,
        chat_type: str = "private",
        first_name: str = "Sam",
        title: str | None = None,
    ) -> None:
        """Make a chat known without an update, e.g. a user seeded in the DB who ran /start."""
        if chat_type == "private":
            self._remember_chat(self._remember_user(chat_id, first_name), None, "private", None)
            return
        if chat_id >= 0:
            raise ValueError(f"a {chat_type} needs a negative chat_id")
        self._chats[chat_id] = {"id": chat_id, "type": chat_type, "title": title or "Test group"}

    def block_bot(self, user_id: int) -> None:
        """Simulate the user blocking the bot: sends to them fail with 403 Forbidden."""
        self._blocked.add(user_id)

    def unblock_bot(self, user_id: int) -> None:
        """Undo :meth:`block_bot`."""
        self._blocked.discard(user_id)

    def _target_chat(self, params: JSON) -> JSON:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat_id = _as_chat_id(raw)
        if isinstance(chat_id, str):
            name = chat_id.lstrip("@")
            for chat in self._chats.values():
                if chat.get("username") == name:
                    return chat
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        chat = self._chats.get(chat_id)
        if chat is None:
            if self.strict_chats:
                raise ApiError(400, "Bad Request: chat not found")
            chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
            chat["first_name" if chat_id > 0 else "title"] = "Unknown"
        return chat

    def _new_message_id(self, chat_id: ChatId) -> int:
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        return message_id

    # ------------------------------------------------------------------ files
    def _store_file(
        self,
        folder: str,
        content: bytes,
        filename: str | None,
        mime_type: str | None,
        source_url: str | None = None,
    ) -> StoredFile:
        self._file_counter += 1
        number = self._file_counter
        suffix = PurePosixPath(filename).suffix if filename else ""
        if not suffix and mime_type:
            suffix = mimetypes.guess_extension(mime_type) or ""
        stored = StoredFile(
            file_id=f"fake-{folder}-{self.bot_id}-{number}",
            file_unique_id=f"uniq{number}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
            filename=filename,
            mime_type=mime_type,
            source_url=source_url,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    @staticmethod
    def _media_object(kind: str, stored: StoredFile, extra: JSON) -> Any:
        base: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }
        if kind == "photo":
            return [
                {
                    **base,
                    "width": int(extra.get("width") or 800),
                    "height": int(extra.get("height") or 600),
                }
            ]
        if kind == "sticker":
            sticker = {
                **base,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
            for key in ("emoji", "set_name"):
                if extra.get(key):
                    sticker[key] = extra[key]
            return sticker
        media = {**base, "mime_type": stored.mime_type or "application/octet-stream"}
        if kind in ("document", "audio", "video", "animation") and stored.filename:
            media["file_name"] = stored.filename
        if kind in ("voice", "audio", "video", "animation"):
            media["duration"] = int(extra.get("duration") or 0)
        if kind in ("video", "animation"):
            media["width"] = int(extra.get("width") or 640)
            media["height"] = int(extra.get("height") or 360)
        if kind == "audio":
            for key in ("title", "performer"):
                if extra.get(key):
                    media[key] = extra[key]
        return media

    def file(self, file_id: str) -> StoredFile:
        """The stored file behind a file_id (user upload or bot upload)."""
        try:
            return self._files[file_id]
        except KeyError:
            raise AssertionError(f"no file with file_id {file_id!r} on the fake") from None

    def file_content(self, file_id: str) -> bytes:
        """Bytes of a file, e.g. a document the bot sent with sendDocument."""
        return self.file(file_id).content

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """Lookup used by the download route ``/file/bot<token>/<file_path>``."""
        return self._files_by_path.get(file_path)

    # ------------------------------------------------------------------ injecting updates
    def _enqueue(self, payload: JSON) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **payload})
        self._notify()
        return update_id

    def _inject_message(
        self,
        user_id: int,
        content: JSON,
        *,
        first_name: str | None,
        chat_id: int | None,
        chat_type: str,
        chat_title: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> int:
        user = self._remember_user(user_id, first_name, last_name, username, language_code)
        chat = self._remember_chat(user, chat_id, chat_type, chat_title)
        message = {
            "message_id": self._new_message_id(chat["id"]),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        self._messages[(chat["id"], message["message_id"])] = message
        return self._enqueue({"message": copy.deepcopy(message)})

    def send_text(
        self,
        user_id: int,
        text: str,
        first_name: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
        *,
        chat_title: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> int:
        """Inject a text message from a user; "/cmd args" gets a bot_command entity.

        User details (first_name "Sam" by default, last_name, username, language_code) are
        remembered per user_id, so later helpers need not repeat them.

        Returns:
            The update_id of the queued update.
        """
        content: JSON = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        return self._inject_message(
            user_id,
            content,
            first_name=first_name,
            chat_id=chat_id,
            chat_type=chat_type,
            chat_title=chat_title,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )

    def press_button(
        self,
        user_id: int,
        message: JSON | int,
        data: str,
        *,
        first_name: str | None = None,
        chat_id: int | None = None,
        strict: bool = True,
    ) -> int:
        """Inject a callback_query for an inline button on a message the bot sent.

        Why strict: a real client can only press buttons that are currently shown, so by
        default pressing data that is not on the (possibly edited) message is a test error.

        Args:
            user_id: The pressing user.
            message: The bot message (dict as returned by wait_for_messages) or its id in
                ``chat_id`` (default: the user's private chat).
            data: The callback_data of the pressed button.
            first_name: Overrides the user's remembered first name.
            chat_id: Chat of ``message`` when it is given as an int.
            strict: Require ``data`` to be on the message's current inline keyboard.

        Returns:
            The update_id of the queued update.
        """
        if isinstance(message, dict):
            key = (message["chat"]["id"], message["message_id"])
        else:
            key = (chat_id if chat_id is not None else user_id, message)
        current = self._messages.get(key)
        if current is None or current.get("from", {}).get("id") != self.bot_id:
            raise AssertionError(f"no bot message {key[1]} in chat {key[0]} to press a button on")
        if strict and data not in _callback_datas(current):
            raise AssertionError(
                f"message {key[1]} has no button with callback_data {data!r}; "
                f"buttons: {_callback_datas(current)}"
            )
        user = self._remember_user(user_id, first_name)
        self._callback_counter += 1
        query_id = f"{self.bot_id}{self._callback_counter:09d}"
        self._callback_queries[query_id] = {"answered": False, "user_id": user_id}
        return self._enqueue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": copy.deepcopy(current),
                    "chat_instance": f"{abs(key[0])}{self.bot_id}",
                    "data": data,
                }
            }
        )

    def send_photo(
        self,
        user_id: int,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        caption: str | None = None,
        *,
        width: int = 800,
        height: int = 600,
        first_name: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Inject a photo message (one PhotoSize); the bytes are downloadable via getFile."""
        stored = self._store_file("photos", content, None, "image/jpeg")
        payload: JSON = {
            "photo": self._media_object("photo", stored, {"width": width, "height": height})
        }
        if caption is not None:
            payload["caption"] = caption
        return self._inject_message(
            user_id, payload, first_name=first_name, chat_id=chat_id, chat_type=chat_type
        )

    def send_voice(
        self,
        user_id: int,
        content: bytes = b"OggS fake-voice",
        duration: int = 3,
        *,
        mime_type: str = "audio/ogg",
        first_name: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Inject a voice note; the bytes are downloadable via getFile."""
        stored = self._store_file("voice", content, None, mime_type)
        voice = self._media_object("voice", stored, {"duration": duration})
        return self._inject_message(
            user_id, {"voice": voice}, first_name=first_name, chat_id=chat_id, chat_type=chat_type
        )

    def send_sticker(
        self,
        user_id: int,
        emoji: str | None = "🙂",
        *,
        set_name: str | None = None,
        content: bytes = b"RIFF fake-webp",
        first_name: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Inject a (static, regular) sticker message."""
        stored = self._store_file("stickers", content, None, "image/webp")
        sticker = self._media_object("sticker", stored, {"emoji": emoji, "set_name": set_name})
        return self._inject_message(
            user_id,
            {"sticker": sticker},
            first_name=first_name,
            chat_id=chat_id,
            chat_type=chat_type,
        )

    def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        mime_type: str | None = None,
        *,
        caption: str | None = None,
        first_name: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Inject a document upload; getFile and the download path serve its bytes."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file("documents", content, filename, mime)
        payload: JSON = {"document": self._media_object("document", stored, {})}
        if caption is not None:
            payload["caption"] = caption
        return self._inject_message(
            user_id, payload, first_name=first_name, chat_id=chat_id, chat_type=chat_type
        )

    def send_raw_update(self, update: JSON) -> int:
        """Queue an arbitrary update; update_id is assigned unless the dict carries one."""
        payload = copy.deepcopy(update)
        if "update_id" not in payload:
            return self._enqueue(payload)
        update_id = int(payload.pop("update_id"))
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._updates.append({"update_id": update_id, **payload})
        self._updates.sort(key=lambda u: u["update_id"])
        self._notify()
        return update_id

    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by a getUpdates offset (nor delivered to a webhook)."""
        return copy.deepcopy(self._updates)

    # ------------------------------------------------------------------ observing the bot
    def on_bot_message(self, listener: BotMessageListener) -> None:
        """Call ``listener(chat_id, message)`` for every bot message or text edit."""
        self._listeners.append(listener)

    def _record_bot_message(self, message: JSON) -> None:
        chat_id = message["chat"]["id"]
        self._messages[(chat_id, message["message_id"])] = message
        snapshot = copy.deepcopy(message)
        self._timeline.setdefault(chat_id, []).append(snapshot)
        for listener in self._listeners:
            listener(chat_id, copy.deepcopy(snapshot))

    def sent(self, chat_id: ChatId) -> list[JSON]:
        """Everything the bot sent to (or text-edited in) a chat so far, in order."""
        return copy.deepcopy(self._timeline.get(_as_chat_id(chat_id), []))

    def message(self, chat_id: ChatId, message_id: int) -> JSON | None:
        """Current state of any message (user's or bot's) after edits, or None."""
        found = self._messages.get((_as_chat_id(chat_id), message_id))
        return copy.deepcopy(found) if found else None

    def chat_actions(self, chat_id: ChatId) -> list[str]:
        """Actions from sendChatAction for a chat, e.g. ["typing"]."""
        return list(self._actions.get(_as_chat_id(chat_id), []))

    def calls(self, method: str) -> list[JSON]:
        """Decoded parameters of every request for ``method`` (case-insensitive).

        Uploaded files appear as :class:`UploadedFile` values.
        """
        key = method.lower()
        return [copy.copy(c.params) for c in self._calls if c.method.lower() == key]

    def all_calls(self) -> list[RecordedCall]:
        """Every request made to this bot token, including failed ones."""
        return list(self._calls)

    def errors(self) -> list[RecordedCall]:
        """Requests that the fake answered with ok=false (helps explain a silent bot)."""
        return [c for c in self._calls if not c.ok]

    def commands(self, *, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """The command list last set with setMyCommands for a scope/language."""
        return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    def webhook_info(self) -> JSON:
        """Webhook settings as set via setWebhook (url "" when polling)."""
        return copy.deepcopy(self._webhook)

    def fail_next(
        self,
        method: str,
        description: str = "Bad Request: injected failure",
        *,
        error_code: int = 400,
        retry_after: int | None = None,
        times: int = 1,
        disconnect: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail, e.g. to test flood-wait handling.

        With ``disconnect`` the connection is closed before anything is done or answered, as
        when the network drops a request.
        """
        if disconnect:
            self._failures.setdefault(method.lower(), []).extend(
                Disconnect(method) for _ in range(times)
            )
            return
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        if retry_after is not None and error_code == 400:
            error_code = 429
            if description == "Bad Request: injected failure":
                description = f"Too Many Requests: retry after {retry_after}"
        self._failures.setdefault(method.lower(), []).extend(
            ApiError(error_code, description, parameters) for _ in range(times)
        )

    def _describe_chat(self, chat_id: ChatId, count: int, timeout: float) -> str:
        timeline = self._timeline.get(chat_id, [])
        cursor = self._cursors.get(chat_id, 0)
        fresh = timeline[cursor:]
        lines = [
            f"expected {count} new bot message(s) in chat {chat_id} within {timeout}s, "
            f"got {len(fresh)} (plus {cursor} consumed by earlier waits)"
        ]
        lines += [f"  arrived: {_summarise(m)}" for m in fresh]
        other = [str(c) for c, msgs in self._timeline.items() if c != chat_id and msgs]
        if other:
            lines.append(f"  bot did write to other chats: {', '.join(other)}")
        lines += [f"  API error: {c.method} -> {c.error}" for c in self.errors()[-5:]]
        if self.unknown_methods:
            lines.append(f"  unknown methods called: {sorted(set(self.unknown_methods))}")
        pending = len(self._updates)
        if pending:
            lines.append(f"  {pending} update(s) still unconfirmed (is the bot polling?)")
        return "\n".join(lines)

    async def wait_for_messages(
        self, chat_id: ChatId, count: int = 1, timeout: float = 10.0
    ) -> list[JSON]:
        """Wait for ``count`` new bot messages in a chat since the previous wait there.

        Exactly ``count`` messages are returned and consumed; extra ones stay for the next
        wait. Sends and text edits (with ``edit_date``) count as messages.

        Raises:
            AssertionError: On timeout, listing what did arrive and recent API errors.
        """
        chat = _as_chat_id(chat_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            timeline = self._timeline.get(chat, [])
            cursor = self._cursors.get(chat, 0)
            if len(timeline) - cursor >= count:
                self._cursors[chat] = cursor + count
                return copy.deepcopy(timeline[cursor : cursor + count])
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(self._describe_chat(chat, count, timeout))
            await self._wait_change(remaining)

    async def wait_for_calls(
        self, method: str, count: int = 1, timeout: float = 10.0
    ) -> list[JSON]:
        """Wait until ``method`` has been called at least ``count`` times in total."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self.calls(method)
            if len(found) >= count:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"expected {count} call(s) of {method} within {timeout}s, got {len(found)}"
                )
            await self._wait_change(remaining)

    # ------------------------------------------------------------------ API dispatch
    async def dispatch(self, method: str, params: JSON) -> Any:
        """Run one Bot API method; raises :class:`ApiError` for error answers."""
        call = RecordedCall(method, params)
        self._calls.append(call)
        key = method.lower()
        try:
            failures = self._failures.get(key)
            if failures:
                raise failures.pop(0)
            handler = getattr(self, f"_api_{key}", None)
            if handler is None and key in _MEDIA_METHODS:
                result = self._send_media(key, params)
            elif handler is None:
                self.unknown_methods.append(method)
                result = True
            else:
                result = handler(params)
                if asyncio.iscoroutine(result):
                    result = await result
        except ApiError as error:
            call.ok, call.error = False, error.description
            raise
        except Disconnect:
            call.ok, call.error = False, "connection dropped"
            raise
        finally:
            self._notify()
        return result

    def _api_getme(self, params: JSON) -> JSON:
        return {
            **self.user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _allowed(self, update: JSON) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _OPT_IN_UPDATE_TYPES

    async def _api_getupdates(self, params: JSON) -> list[JSON]:
        if self._webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        try:
            timeout = max(float(params.get("timeout") or 0), 0.0)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: wrong parameter timeout specified") from None
        if "allowed_updates" in params:
            allowed = _json_param(params, "allowed_updates")
            self._allowed_updates = list(allowed) if allowed else None
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # lets an older concurrent poll notice it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            # Telegram never stores updates of types the bot did not ask for.
            self._updates = [u for u in self._updates if self._allowed(u)]
            if self._updates or self._closing:
                return copy.deepcopy(self._updates[:limit])
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._wait_change(remaining)

    def _api_setwebhook(self, params: JSON) -> bool:
        url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if not url:
            self._webhook = {"url": ""}
            return True
        if urlsplit(url).scheme not in ("http", "https"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self._webhook = {"url": url}
        for key in ("secret_token", "max_connections", "ip_address"):
            if params.get(key) not in (None, ""):
                self._webhook[key] = params[key]
        allowed = _json_param(params, "allowed_updates")
        if allowed:
            self._webhook["allowed_updates"] = list(allowed)
            self._allowed_updates = list(allowed)
        return True

    def _api_deletewebhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {"url": ""}
        return True

    def _api_getwebhookinfo(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        for key in ("max_connections", "ip_address", "allowed_updates"):
            if key in self._webhook:
                info[key] = self._webhook[key]
        return info

    def _reply_markup(self, params: JSON) -> JSON | None:
        markup = _json_param(params, "reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            _validate_inline_keyboard(markup)
            return markup
        return None  # reply keyboards / removals are not echoed in the Message object

    def _new_bot_message(self, chat: JSON, content: JSON, params: JSON) -> JSON:
        message: JSON = {
            "message_id": self._new_message_id(chat["id"]),
            "from": dict(self.user),
            "chat": dict(chat),
            "date": int(time.time()),
            **content,
        }
        reply = _json_param(params, "reply_parameters") or {}
        reply_to = reply.get("message_id") or params.get("reply_to_message_id")
        if reply_to:
            original = self._messages.get((chat["id"], int(reply_to)))
            if original is not None:
                message["reply_to_message"] = {
                    k: v for k, v in copy.deepcopy(original).items() if k != "reply_to_message"
                }
            elif not reply.get("allow_sending_without_reply") and not params.get(
                "allow_sending_without_reply"
            ):
                raise ApiError(400, "Bad Request: message to be replied not found")
        markup = self._reply_markup(params)
        if markup is not None:
            message["reply_markup"] = markup
        self._record_bot_message(message)
        return copy.deepcopy(message)

    def _api_sendmessage(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        text, entities = _format_text(
            params, "text", MAX_TEXT_LENGTH, "Bad Request: message is too long"
        )
        if not text or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        return self._new_bot_message(chat, content, params)

    def _resolve_input_file(self, value: Any, params: JSON, folder: str, mime: str) -> StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            if len(value.content) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            return self._store_file(
                folder, value.content, value.filename, value.content_type or mime
            )
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
            # No internet here: remember the URL, serve empty bytes.
            name = PurePosixPath(urlsplit(value).path).name or None
            return self._store_file(folder, b"", name, mime, source_url=value)
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _send_media(self, method_key: str, params: JSON) -> JSON:
        param, kind, folder, mime = _MEDIA_METHODS[method_key]
        chat = self._target_chat(params)
        if params.get(param) in (None, ""):
            raise ApiError(400, f"Bad Request: there is no {param} in the request")
        stored = self._resolve_input_file(params[param], params, folder, mime)
        content: JSON = {kind: self._media_object(kind, stored, params)}
        caption, entities = _format_text(
            params, "caption", MAX_CAPTION_LENGTH, "Bad Request: message caption is too long"
        )
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return self._new_bot_message(chat, content, params)

    def _message_to_edit(self, params: JSON) -> JSON | None:
        if params.get("inline_message_id"):
            return None
        chat = self._target_chat(params)
        message_id = _int_param(params, "message_id", 0)
        message = self._messages.get((chat["id"], message_id))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _finish_edit(self, message: JSON, changes: JSON, *, to_timeline: bool) -> JSON:
        if all(
            (k not in message) if v is None else (message.get(k) == v) for k, v in changes.items()
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        if to_timeline:
            self._record_bot_message(message)
        return copy.deepcopy(message)

    def _api_editmessagetext(self, params: JSON) -> JSON | bool:
        text, entities = _format_text(
            params, "text", MAX_TEXT_LENGTH, "Bad Request: message is too long"
        )
        if not text or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        markup = self._reply_markup(params)
        message = self._message_to_edit(params)
        if message is None:
            return True
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        # Like Telegram: omitting reply_markup on an edit removes the inline keyboard.
        changes = {"text": text, "entities": entities, "reply_markup": markup}
        return self._finish_edit(message, changes, to_timeline=True)

    def _api_editmessagereplymarkup(self, params: JSON) -> JSON | bool:
        markup = self._reply_markup(params)
        message = self._message_to_edit(params)
        if message is None:
            return True
        return self._finish_edit(message, {"reply_markup": markup}, to_timeline=False)

    def _api_sendchataction(self, params: JSON) -> bool:
        chat = self._target_chat(params)
        action = str(params.get("action") or "")
        if action not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self._actions.setdefault(chat["id"], []).append(action)
        return True

    def _api_answercallbackquery(self, params: JSON) -> bool:
        query = self._callback_queries.get(str(params.get("callback_query_id") or ""))
        if query is None or query["answered"]:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is "
                "invalid",
            )
        query["answered"] = True
        return True

    def _api_getfile(self, params: JSON) -> JSON:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    def _api_setmycommands(self, params: JSON) -> bool:
        commands = _json_param(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32) or not all(c.isalnum() or c == "_" for c in name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if name != name.lower():
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(_json_param(params, "scope"), params.get("language_code"))
        self._commands[key] = copy.deepcopy(commands)
        return True

    def _api_getmycommands(self, params: JSON) -> list[JSON]:
        key = self._commands_key(_json_param(params, "scope"), params.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    def _api_deletemycommands(self, params: JSON) -> bool:
        key = self._commands_key(_json_param(params, "scope"), params.get("language_code"))
        self._commands.pop(key, None)
        return True

    def _api_close(self, params: JSON) -> bool:
        return True

    def _api_logout(self, params: JSON) -> bool:
        return True


async def _read_params(request: web.Request) -> JSON:
    """Decode query string plus JSON, urlencoded or multipart body, as Telegram accepts."""
    params: JSON = {k: _decode_form_value(k, v) for k, v in request.query.items()}
    if not request.body_exists:
        return params
    content_type = request.content_type
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                with value.file:  # aiohttp spools uploads to a temp file we must close
                    content = value.file.read()
                params[name] = UploadedFile(name, value.filename, value.content_type, content)
            else:
                params[name] = _decode_form_value(name, str(value))
        return params
    raw = await request.read()
    if raw.strip():
        try:
            body = json.loads(raw)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON body must be an object")
        params.update(body)
    return params


def _error_response(error: ApiError) -> web.Response:
    body: JSON = {"ok": False, "error_code": error.error_code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.error_code)


class FakeBotApi(FakeBot):
    """The fake Bot API HTTP server; also acts as the handle of its first (default) bot.

    Why both in one: most tests run a single bot, so ``fake.send_text(...)`` and
    ``fake.wait_for_messages(...)`` work directly; extra tokens are reached with
    :meth:`bot`.

    Usage::

        async with FakeBotApi() as fake:
            app = (Application.builder().token(fake.token).base_url(fake.base_url)
                   .base_file_url(fake.base_file_url).build())
    """

    def __init__(
        self,
        tokens: Iterable[str] = ("123:ABC",),
        *,
        bot_username: str = "herstelgids_test_bot",
        bot_first_name: str = "Herstelgids",
        strict_chats: bool = True,
    ) -> None:
        token_list = list(tokens)
        if not token_list:
            raise ValueError("at least one bot token is required")
        super().__init__(token_list[0], username=bot_username, first_name=bot_first_name)
        self.strict_chats = strict_chats
        self._bots: dict[str, FakeBot] = {self.token: self}
        for token in token_list[1:]:
            self.add_bot(token)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._host = "127.0.0.1"

    def add_bot(
        self, token: str, *, username: str | None = None, first_name: str | None = None
    ) -> FakeBot:
        """Register another bot token (its own queue, chats and files)."""
        if token in self._bots:
            return self._bots[token]
        head = token.split(":", 1)[0]
        bot = FakeBot(
            token,
            username=username or f"test_bot_{head}_bot",
            first_name=first_name or f"Test bot {head}",
        )
        bot.strict_chats = self.strict_chats
        self._bots[token] = bot
        return bot

    def bot(self, token: str) -> FakeBot:
        """Handle for a registered token (``fake.bot(fake.token) is fake``)."""
        try:
            return self._bots[token]
        except KeyError:
            raise KeyError(f"token {token!r} is not registered on the fake") from None

    # ------------------------------------------------------------------ server lifecycle
    @property
    def port(self) -> int:
        """The bound TCP port (useful after ``start(port=0)``)."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """Value for PTB's ``ApplicationBuilder.base_url`` (token gets appended)."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``ApplicationBuilder.base_file_url``."""
        return f"http://{self._host}:{self.port}/file/bot"

    def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", r"/bot{token:[^/]+}/{method:[^/]+}", self._handle_method)
        app.router.add_get(r"/file/bot{token:[^/]+}/{path:.+}", self._handle_file)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on host:port (port 0 picks a free one)."""
        if self._runner is not None:
            raise RuntimeError("FakeBotApi is already started")
        for bot in self._bots.values():
            bot._closing = False
        # handler_cancellation: an abandoned long poll (client gone) ends immediately.
        runner = web.AppRunner(
            self._make_app(), handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self._host = host
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Release pending long polls, then shut the server down."""
        for bot in self._bots.values():
            bot._closing = True
            bot._notify()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ HTTP handlers
    async def _handle_method(self, request: web.Request) -> web.Response:
        bot = self._bots.get(request.match_info["token"])
        if bot is None:
            return _error_response(ApiError(401, "Unauthorized"))
        try:
            params = await _read_params(request)
            result = await bot.dispatch(request.match_info["method"], params)
        except ApiError as error:
            return _error_response(error)
        except Disconnect:
            assert request.transport is not None
            request.transport.close()  # the client sees the connection drop, no answer
            return web.Response(status=499)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        bot = self._bots.get(request.match_info["token"])
        stored = bot.file_by_path(request.match_info["path"]) if bot else None
        if stored is None:
            return _error_response(ApiError(404, "Not Found"))
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    # ------------------------------------------------------------------ webhook mode
    async def deliver_to_webhook(
        self,
        url: str,
        update: JSON | int,
        secret_token: str | None = None,
        *,
        timeout: float = 10.0,
    ) -> int:
        """POST an update to a webhook like Telegram does; returns the HTTP status.

        Args:
            url: The bot's webhook URL.
            update: An Update dict, or the update_id of a queued update (removed from the
                queue when the webhook answers 2xx, as Telegram would).
            secret_token: Sent as ``X-Telegram-Bot-Api-Secret-Token`` when given.
            timeout: Total HTTP timeout in seconds.
        """
        queued: JSON | None = None
        if isinstance(update, int):
            queued = next((u for u in self._updates if u["update_id"] == update), None)
            if queued is None:
                raise AssertionError(f"update {update} is not queued")
            payload = copy.deepcopy(queued)
        else:
            payload = copy.deepcopy(update)
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        async with (
            ClientSession(timeout=ClientTimeout(total=timeout)) as session,
            session.post(url, data=json.dumps(payload), headers=headers) as response,
        ):
            await response.read()
            status = response.status
        if queued is not None and 200 <= status < 300:
            self._updates.remove(queued)
            self._notify()
        return status


# ---------------------------------------------------------------------- standalone mode
_REPL_HELP = """commands:
  say <user_id> <text>             message from a user (private chat)
  group <chat_id> <user_id> <text> message in a group chat (negative chat_id)
  press <user_id> <message_id> <data>  press an inline button
  doc <user_id> <path>             upload a local file as a document
  sent <chat_id>                   list bot messages in a chat
  calls <method>                   show recorded calls of a method
  help | quit"""


def _print_bot_message(chat_id: ChatId, message: JSON) -> None:
    print(f"[bot -> {chat_id}] {_summarise(message)}", flush=True)


def _repl_command(fake: FakeBotApi, line: str) -> bool:
    """Run one REPL line; returns False to quit."""
    words = line.split()
    if not words:
        return True
    command, args = words[0].lower(), words[1:]
    try:
        if command in ("quit", "exit"):
            return False
        if command == "say" and len(args) >= 2:
            text = line.split(maxsplit=2)[2]
            print(f"update {fake.send_text(int(args[0]), text)}")
        elif command == "group" and len(args) >= 3:
            text = line.split(maxsplit=3)[3]
            update_id = fake.send_text(int(args[1]), text, chat_id=int(args[0]), chat_type="group")
            print(f"update {update_id}")
        elif command == "press" and len(args) == 3:
            print(f"update {fake.press_button(int(args[0]), int(args[1]), args[2])}")
        elif command == "doc" and len(args) == 2:
            path = PurePosixPath(args[1])
            with open(args[1], "rb") as handle:
                content = handle.read()
            print(f"update {fake.send_document(int(args[0]), path.name, content)}")
        elif command == "sent" and len(args) == 1:
            for message in fake.sent(args[0]):
                print(f"  {_summarise(message)}")
        elif command == "calls" and len(args) == 1:
            for params in fake.calls(args[0]):
                print(f"  {params}")
        else:
            print(_REPL_HELP)
    except (AssertionError, ValueError, OSError) as error:
        print(f"error: {error}")
    return True


async def _serve(host: str, port: int, tokens: list[str], repl: bool) -> None:
    fake = FakeBotApi(tokens, strict_chats=False)
    await fake.start(host, port)
    for token in tokens:
        fake.bot(token).on_bot_message(_print_bot_message)
    print(f"base_url:      {fake.base_url}", flush=True)
    print(f"base_file_url: {fake.base_file_url}", flush=True)
    print(f"tokens:        {', '.join(tokens)}", flush=True)
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read_stdin() -> None:
        # A daemon thread (not the default executor) so Ctrl-C never waits for a line.
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, "quit")

    try:
        if repl:
            print(_REPL_HELP, flush=True)
            threading.Thread(target=read_stdin, daemon=True).start()
            while _repl_command(fake, (await lines.get()).strip()):
                pass
        else:
            await asyncio.Event().wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point for ``python -m tests.fakes.bot_api``."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", action="append", help="bot token (repeatable)")
    parser.add_argument("--no-repl", action="store_true", help="serve without stdin REPL")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, args.token or ["123:ABC"], not args.no_repl))


if __name__ == "__main__":
    main()
