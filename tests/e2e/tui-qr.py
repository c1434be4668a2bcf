#!/usr/bin/python3
"""tui-qr.py: decode the QR code on a captured TUI screen.

  tmux capture-pane -p -e -N | tui-qr.py OUT.png

Reads the screen with its colour escapes, finds the cells drawn as upper
half blocks with explicit colours (the top module is the foreground, the
bottom one the background), paints each module as an 8x8 square with a
light border around the whole, writes OUT.png and prints what
`zbarimg --raw -q` decodes from it.  Exit 1 when no QR cells are found,
2 when zbarimg finds nothing.
"""
import re
import subprocess
import sys

from PIL import Image

SGR = re.compile(r"\x1b\[([0-9;]*)m")
DARK, LIGHT = 0, 1


def shade(n):
    """A palette index as dark or light; None when it is neither."""
    if n in (0, 8, 16, 232):
        return DARK
    if n in (7, 15, 231, 255):
        return LIGHT
    return None


def apply_sgr(params, st):
    p = [int(x) if x else 0 for x in params.split(";")] if params else [0]
    i = 0
    while i < len(p):
        c = p[i]
        if c == 0:
            st["fg"] = st["bg"] = None
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
    """(row, col) -> (top, bottom) for every coloured half-block cell."""
    out = {}
    for y, line in enumerate(text.split("\n")):
        st = {"fg": None, "bg": None}
        x = 0
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
            if ch == "\u2580" and st["fg"] is not None and st["bg"] is not None:
                top, bot = shade(st["fg"]), shade(st["bg"])
                if top is not None and bot is not None:
                    out[(y, x)] = (top, bot)
            x += 1
    return out


def main():
    found = cells(sys.stdin.read())
    if not found:
        sys.stderr.write("tui-qr.py: no QR cells on the screen\n")
        return 1
    ys = [y for y, _ in found]
    xs = [x for _, x in found]
    y0, x0 = min(ys), min(xs)
    w, h = max(xs) - x0 + 1, max(ys) - y0 + 1
    scale, border = 8, 4
    img = Image.new("L", ((w + 2 * border) * scale,
                          (2 * h + 2 * border) * scale), 255)
    for (y, x), (top, bot) in found.items():
        for half, v in ((0, top), (1, bot)):
            if v == DARK:
                px = (x - x0 + border) * scale
                py = (2 * (y - y0) + half + border) * scale
                img.paste(0, (px, py, px + scale, py + scale))
    img.save(sys.argv[1])
    r = subprocess.run(["zbarimg", "--raw", "-q", sys.argv[1]],
                       capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout:
        sys.stderr.write("tui-qr.py: zbarimg found no code\n")
        return 2
    sys.stdout.write(r.stdout.rstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
