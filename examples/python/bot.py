"""Pingbot: answers "ping" with "pong" in every Parley conversation it is in, on a personal access
token alone. It reconnects by itself and, after every (re)connection, catches up on each
conversation from the last version it saw, so a ping sent while it was away is still answered,
once. See README.md.

    PARLEY_URL=http://localhost:3000 PARLEY_SOCKET_URL=http://localhost:3001 \\
    PARLEY_TOKEN=parley_pat_... python bot.py
"""

import os
import queue
import signal
import sys
import threading
import time
import uuid
from datetime import datetime, timezone

import requests
import socketio

ACK_TIMEOUT = 5  # seconds; a reply with no ack by then is sent again, with the same clientMsgId
RECONNECT_PAUSE = 2  # seconds before connecting again once a connection has ended
RECONNECT_MAX = 10  # the longest wait between failed attempts
REMEMBERED = 10_000  # answered pings (and replies of our own) remembered, so each is answered once


def log(line):
    print(f"{datetime.now(timezone.utc).isoformat(timespec='milliseconds')} {line}", flush=True)


class ParleyError(Exception):
    """A refusal in Parley's one error shape: {code, message, retryable, retryAfterMs?}."""

    def __init__(self, error):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = error


class Remembered:
    """A set that forgets its oldest entries beyond `size`."""

    def __init__(self, size):
        self.size = size
        self.items = {}  # a dict keeps insertion order

    def add(self, item):
        self.items[item] = None
        if len(self.items) > self.size:
            del self.items[next(iter(self.items))]

    def __contains__(self, item):
        return item in self.items


class Pingbot:
    def __init__(self, url, socket_url, token):
        self.url = url.rstrip("/")
        self.socket_url = socket_url
        self.token = token
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

        # run() does the reconnecting: python-socketio's own would retry a refused token forever,
        # and does not reconnect after the server closed the connection.
        self.sio = socketio.Client(reconnection=False, handle_sigint=False)
        self.sio.on("connect", self.on_connect)
        self.sio.on("connect_error", self.on_connect_error)
        self.sio.on("disconnect", self.on_disconnect)
        # Broadcasts carry one more argument after the payload: the server's connection state
        # recovery offset, which socket.io-client keeps by itself and python-socketio passes on.
        self.sio.on("message:created", lambda data, *_offset: self.tasks.put((self.on_live_message, data["message"])))
        self.sio.on("conversation:created", self.on_conversation_created)
        self.sio.on("conversation:removed", self.on_conversation_removed)

        # Socket.IO calls each handler on a thread of its own; the handlers only queue work, and
        # one worker thread does it, one task at a time, so the state below needs no lock.
        self.tasks = queue.Queue()
        self.versions = {}  # conversation id -> the version up to which every change was seen
        self.first_seq = {}  # conversation id -> its seq when first seen: anything up to it is history
        self.delivered = {}  # conversation id -> the highest seq reported as delivered
        self.answered = Remembered(REMEMBERED)
        self.my_client_msg_ids = Remembered(REMEMBERED)
        self.self_id = None  # the bot's own user id (GET /api/me), to tell its messages from others'

        self.connected = threading.Event()
        self.connection_ended = threading.Event()
        self.stopping = threading.Event()
        self.refusal = None  # what the server said when it refused the last handshake
        self.exit_code = 0

    # ── The connection ─────────────────────────────────────────────────────────────────────

    def run(self):
        threading.Thread(target=self.work, daemon=True).start()
        delay = 1
        while not self.stopping.is_set():
            self.connection_ended.clear()
            self.refusal = None
            try:
                # WebSocket from the start: no long-polling, so nothing depends on sticky sessions.
                self.sio.connect(self.socket_url, auth={"token": self.token}, transports=["websocket"], wait_timeout=10)
            except (socketio.exceptions.ConnectionError, ValueError) as error:
                refusal = self.refusal
                if refusal and not refusal.get("retryable"):
                    self.refused(refusal)
                    break
                if refusal and refusal.get("retryAfterMs"):
                    delay = refusal["retryAfterMs"] / 1000
                log(f"cannot connect to {self.socket_url} ({error}); trying again in {delay:g} s")
                self.stopping.wait(delay)
                delay = min(delay * 2, RECONNECT_MAX)
                continue
            delay = 1
            self.connection_ended.wait()  # set by on_disconnect, or by stop()
            if not self.stopping.is_set():
                self.stopping.wait(RECONNECT_PAUSE)
        if self.sio.connected:
            self.sio.disconnect()
        return self.exit_code

    def stop(self, code=0):
        self.exit_code = code
        self.stopping.set()
        self.connection_ended.set()

    def refused(self, error):
        log(f"the token was refused ({error.get('code')}: {error.get('message')}); make a new one in Settings -> Developer access")
        self.stop(1)

    def on_connect(self):
        log("connected")
        self.connected.set()
        self.tasks.put((self.resync,))

    def on_connect_error(self, data):
        # A refusal comes as {"message", "data": {code, message, retryable, retryAfterMs?}}.
        if isinstance(data, dict) and isinstance(data.get("data"), dict):
            self.refusal = data["data"]

    def on_disconnect(self, reason):
        self.connected.clear()
        if not self.stopping.is_set():
            log(f"disconnected ({reason}); connecting again in {RECONNECT_PAUSE} s")
        self.connection_ended.set()

    def on_conversation_created(self, data, *_offset):
        conversation = data["conversation"]
        log(f"added to {describe(conversation)}")
        self.tasks.put((self.first_sight, conversation["id"], describe(conversation)))

    def on_conversation_removed(self, data, *_offset):
        log(f"removed from conversation {data['conversationId']}")
        self.tasks.put((self.forget, data["conversationId"]))

    # ── The work ───────────────────────────────────────────────────────────────────────────

    def work(self):
        while True:
            task, *args = self.tasks.get()
            try:
                task(*args)
            except ParleyError as error:
                if error.error.get("code") == "UNAUTHORIZED":
                    self.refused(error.error)
                else:
                    log(f"error: {error}")
            except Exception as error:  # a bot logs what went wrong and carries on
                log(f"error: {error!r}")

    def resync(self):
        """After every (re)connection: every conversation, caught up from where the bot left it."""
        try:
            if self.self_id is None:
                me = self.api("/api/me")
                self.self_id = me["id"]
                log(f"signed in as {me['name']} ({' and '.join(me['scopes'])})")
            conversations = self.api("/api/conversations")["conversations"]
            current = {c["id"] for c in conversations}
            for conversation_id in [c for c in self.versions if c not in current]:
                self.forget(conversation_id)
            for conversation in conversations:
                if conversation["id"] in self.versions:
                    self.catch_up(conversation["id"])
                else:
                    self.first_sight(conversation["id"], describe(conversation))
            log(f"in sync with {len(conversations)} conversation(s)")
        except ParleyError as error:
            if error.error.get("code") == "UNAUTHORIZED":
                raise
            self.retry_resync(error)
        except (requests.RequestException, socketio.exceptions.SocketIOError) as error:
            self.retry_resync(error)

    def retry_resync(self, error):
        log(f"could not catch up ({error}); trying again in {RECONNECT_PAUSE} s")
        timer = threading.Timer(RECONNECT_PAUSE, lambda: self.connected.is_set() and self.tasks.put((self.resync,)))
        timer.daemon = True
        timer.start()

    def first_sight(self, conversation_id, name):
        """A conversation seen for the first time: what it holds already is history, not to be answered."""
        if conversation_id in self.versions:
            return
        page = self.api(f"/api/conversations/{conversation_id}/messages?limit=1")
        self.versions[conversation_id] = page["version"]
        self.first_seq[conversation_id] = page["messages"][-1]["seq"] if page["messages"] else 0
        log(f"watching {name} from version {page['version']}")

    def catch_up(self, conversation_id):
        """Every change since the version the bot last saw, page by page: the pings among them are answered."""
        while conversation_id in self.versions:
            page = self.request("sync", {"conversationId": conversation_id, "sinceVersion": self.versions[conversation_id]})
            for message in page["messages"]:
                if message["seq"] > self.first_seq[conversation_id]:
                    self.answer_if_ping(message, " (missed while away)")
            self.versions[conversation_id] = max(self.versions[conversation_id], page["version"])
            self.mark_delivered(conversation_id, max((m["seq"] for m in page["messages"]), default=0))
            if not page["hasMore"]:
                return

    def forget(self, conversation_id):
        self.versions.pop(conversation_id, None)

    def on_live_message(self, message):
        conversation_id, version = message["conversationId"], message["version"]
        known = self.versions.get(conversation_id)
        # Versions are consecutive per conversation: a jump means the bot missed a change, so catch up.
        if known is not None and version == known + 1:
            self.versions[conversation_id] = version
        elif known is not None and version > known + 1:
            self.tasks.put((self.catch_up, conversation_id))
        self.mark_delivered(conversation_id, message["seq"])
        self.answer_if_ping(message, "")

    def answer_if_ping(self, message, note):
        mine = message["senderId"] == self.self_id or message["clientMsgId"] in self.my_client_msg_ids
        is_ping = message["kind"] == "text" and not message["deletedAt"] and message["text"].strip().lower() == "ping"
        if mine or not is_ping or message["id"] in self.answered:
            return
        self.answered.add(message["id"])
        started = time.monotonic()
        reply = {"conversationId": message["conversationId"], "clientMsgId": str(uuid.uuid4()), "text": "pong", "replyTo": message["id"]}
        self.my_client_msg_ids.add(reply["clientMsgId"])
        sent = self.send(reply)
        if sent:
            elapsed = round((time.monotonic() - started) * 1000)
            log(f"ping from {message['senderName']} in {message['conversationId']} -> pong (seq {sent['seq']}, {elapsed} ms){note}")

    def send(self, payload):
        """Sends until the server has it: a lost ack is retried with the same clientMsgId, so it lands once."""
        attempt = 1
        while not self.stopping.is_set():
            if not self.connected.wait(timeout=1):
                continue
            try:
                ack = self.sio.call("message:send", payload, timeout=ACK_TIMEOUT)
            except socketio.exceptions.TimeoutError:
                attempt += 1
                log(f"no ack for a reply after {ACK_TIMEOUT} s; sending it again (attempt {attempt})")
                continue
            except socketio.exceptions.BadNamespaceError:
                time.sleep(0.2)  # the connection just ended: wait for the next one
                continue
            if ack["ok"]:
                return ack["data"]["message"]
            if not ack["error"]["retryable"]:
                log(f"the server refused a reply: {ack['error']['code']}: {ack['error']['message']}")
                return None
            time.sleep(ack["error"].get("retryAfterMs", 1000) / 1000)
        return None

    def mark_delivered(self, conversation_id, seq):
        """Tells the senders' ticks that the bot has everything up to `seq` (no ack needed)."""
        if seq <= self.delivered.get(conversation_id, 0):
            return
        try:
            self.sio.emit("conversation:delivered", {"conversationId": conversation_id, "seq": seq})
            self.delivered[conversation_id] = seq
        except socketio.exceptions.BadNamespaceError:
            pass  # not connected: the next catch-up marks it

    def request(self, event, payload):
        ack = self.sio.call(event, payload, timeout=ACK_TIMEOUT)
        if not ack["ok"]:
            raise ParleyError(ack["error"])
        return ack["data"]

    def api(self, path):
        """The HTTP API with the same token; errors are {"error": {code, message, retryable}}."""
        response = self.http.get(self.url + path, timeout=10)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.ok:
            return body
        error = (body or {}).get("error") or {"code": f"HTTP_{response.status_code}", "message": response.reason, "retryable": response.status_code >= 500}
        raise ParleyError(error)


def describe(conversation):
    if conversation.get("name"):
        return f'"{conversation["name"]}"'
    return "a conversation with " + " and ".join(m["name"] for m in conversation["members"])


def main():
    names = ["PARLEY_URL", "PARLEY_SOCKET_URL", "PARLEY_TOKEN"]
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        print(
            f"Missing {', '.join(missing)}. Set PARLEY_URL (the web app, e.g. http://localhost:3000), PARLEY_SOCKET_URL "
            "(e.g. http://localhost:3001) and PARLEY_TOKEN (a personal access token, parley_pat_...).",
            file=sys.stderr,
        )
        return 2
    bot = Pingbot(os.environ["PARLEY_URL"], os.environ["PARLEY_SOCKET_URL"], os.environ["PARLEY_TOKEN"])

    def on_signal(signum, _frame):
        log(f"{signal.Signals(signum).name}: stopping")
        bot.stop(0)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    log(f"pingbot: connecting to {bot.socket_url} (web app {bot.url})")
    return bot.run()


if __name__ == "__main__":
    sys.exit(main())
