#!/usr/bin/python3
"""tui-qr.py: decode the QR code on a captured TUI screen, as a camera
would see the whole terminal.

  tmux capture-pane -p -e -N | tui-qr.py OUT.png [dark|light]

Paints every cell of the screen (a cell is one module wide and two tall):
an upper half block with explicit colours as its two modules (foreground
on top, background below); any other cell in its background colour (the
theme's when it has none), with a block of ink in the middle when it
holds a glyph (the theme's text colour when it has none).  No border is
added: the quiet zone must be on the screen.  The theme, dark (default)
or light, is the colour of the terminal's default background and text.
Writes OUT.png and prints what `zbarimg --raw -q` decodes.  Exit 1 when
the screen holds no half-block cell with explicit colours, 2 when
zbarimg finds nothing.
"""
import re
import subprocess
import sys

from PIL import Image

SGR = re.compile(r"\x1b\[([0-9;]*)m")
SCALE = 6


def grey(n):
    """A palette index as a grey level (0 black .. 255 white)."""
    if n in (0, 16, 232):
        return 0
    if n in (15, 231, 255):
        return 255
    if n == 7:
        return 200
    if n == 8:
        return 100
    if n is not None and 1 <= n <= 6:
        return 80      # the dark basic colours
    if n is not None and 9 <= n <= 14:
        return 190     # the bright ones
    return 128


def apply_sgr(params, st):
    p = [int(x) if x else 0 for x in params.split(";")] if params else [0]
    i = 0
    while i < len(p):
        c = p[i]
        if c == 0:
            st["fg"] = st["bg"] = None
            st["rev"] = False
        elif c == 7:
            st["rev"] = True
        elif c == 27:
            st["rev"] = False
        elif 30 <= c <= 37:
            st["fg"] = c - 30
        elif 90 <= c <= 97:
            st["fg"] = c - 90 + 8
        elif 40 <= c <= 47:
            st["bg"] = c - 40
        elif 100 <= c <= 107:
            st["bg"] = c - 100 + 8
        elif c == 39:
            st["fg"] = None
        elif c == 49:
            st["bg"] = None
        elif c in (38, 48) and i + 2 < len(p) and p[i + 1] == 5:
            st["fg" if c == 38 else "bg"] = p[i + 2]
            i += 2
        i += 1


def cells(text):
    """Rows of (char, fg, bg, reverse) for every cell of the screen."""
    rows = []
    # tmux writes an attribute once; it holds on the next lines too.
    st = {"fg": None, "bg": None, "rev": False}
    for line in text.split("\n"):
        row = []
        pos = 0
        while pos < len(line):
            m = SGR.match(line, pos)
            if m:
                apply_sgr(m.group(1), st)
                pos = m.end()
                continue
            ch = line[pos]
            pos += 1
            if ch == "\x1b":
                continue
            row.append((ch, st["fg"], st["bg"], st["rev"]))
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def main():
    theme = sys.argv[2] if len(sys.argv) > 2 else "dark"
    tbg, tfg = (0, 220) if theme == "dark" else (255, 30)
    rows = cells(sys.stdin.read())
    width = max((len(r) for r in rows), default=0)
    img = Image.new("L", (width * SCALE, 2 * len(rows) * SCALE), tbg)
    found = False
    for y, row in enumerate(rows):
        for x, (ch, fg, bg, rev) in enumerate(row):
            f = tfg if fg is None else grey(fg)
            b = tbg if bg is None else grey(bg)
            if rev:
                f, b = b, f
            px, py = x * SCALE, 2 * y * SCALE
            if ch == "\u2580" and fg is not None and bg is not None:
                found = True
                img.paste(f, (px, py, px + SCALE, py + SCALE))
                img.paste(b, (px, py + SCALE, px + SCALE, py + 2 * SCALE))
                continue
            img.paste(b, (px, py, px + SCALE, py + 2 * SCALE))
            if ch == "\u2588":
                img.paste(f, (px, py, px + SCALE, py + 2 * SCALE))
            elif ch == "\u2580":
                img.paste(f, (px, py, px + SCALE, py + SCALE))
            elif ch == "\u2584":
                img.paste(f, (px, py + SCALE, px + SCALE, py + 2 * SCALE))
            elif ch != " ":
                img.paste(f, (px + 1, py + 3, px + SCALE - 1,
                              py + 2 * SCALE - 3))
    img.save(sys.argv[1])
    if not found:
        sys.stderr.write("tui-qr.py: no QR cells on the screen\n")
        return 1
    r = subprocess.run(["zbarimg", "--raw", "-q", sys.argv[1]],
                       capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout:
        sys.stderr.write("tui-qr.py: zbarimg found no code\n")
        return 2
    sys.stdout.write(r.stdout.rstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
