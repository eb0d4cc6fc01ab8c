# Runs `./shoal up` on a pseudo-terminal, waits until it is ready, types Ctrl-C, and waits for it to
# stop: what a user at a terminal does. Prints everything the terminal showed; exits 0 once ./shoal
# has exited, 1 if it was not ready in time or did not stop.
# Usage: ctrl_c.py REPO_ROOT (SHOAL_HOME and the port variables come from the environment).
import os, pty, select, signal, sys, time

root = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(root)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a terminal's session, whatever started this script
    os.execvp("./shoal", ["./shoal", "up"])

out = b""

def read_for(seconds, until):
    global out
    deadline = time.time() + seconds
    while time.time() < deadline and not until():
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            out += chunk

status = None

def exited():
    """Reaps ./shoal once it has exited; the terminal may close a moment before that."""
    global status
    if status is None:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
    return status is not None

read_for(300, lambda: b"Shoal is ready" in out or b"start failed" in out)
if b"Shoal is ready" not in out:
    os.kill(pid, signal.SIGTERM)
    print(out.decode(errors="replace"))
    sys.exit(1)
os.write(fd, b"\x03")
read_for(120, exited)
deadline = time.time() + 120
while not exited() and time.time() < deadline:
    time.sleep(0.2)
print(out.decode(errors="replace"))
sys.exit(0 if exited() and b"Shoal stopped" in out else 1)
