"""Runs the SecantusDB server in this process and stops it when the launcher goes away.

The launcher (launch.mjs) keeps this process's stdin open as a pipe and never writes to it; the
pipe reaches end-of-file when the launcher exits for any reason (kill -9 included), and then the
server is asked to stop as on SIGTERM (a clean WiredTiger shutdown), then ended outright if that
takes too long. Running in-process (not as a grandchild) keeps one pid: the launcher's pid of
the database is the server itself, which tests freeze with SIGSTOP.
"""

import os
import runpy
import signal
import sys
import threading

GRACE_SECONDS = 10


def watch_parent() -> None:
    # The raw descriptor, not sys.stdin: a thread blocked inside a buffered reader makes the
    # interpreter's own shutdown fail on that reader's lock.
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    # To the main thread itself: a signal the kernel hands to this thread would wait until the
    # main thread next ran Python code, and it sits blocked in the server's wait().
    signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)
    timer = threading.Timer(GRACE_SECONDS, lambda: os._exit(1))
    timer.daemon = True
    timer.start()


threading.Thread(target=watch_parent, name="parley-parent-watch", daemon=True).start()
sys.argv = ["secantus", *sys.argv[1:]]
runpy.run_module("secantus", run_name="__main__", alter_sys=True)
