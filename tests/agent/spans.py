#!/usr/bin/env python3
"""Compares the spans a server stored with the script the window helper
played.

usage: spans.py EVENTS SPANS [TOLERANCE_MS] [--hide REGEX]...

EVENTS is the helper's output ("<ms> new|activate|title ..." and
"<ms> mark end"); SPANS is spans_of's output.  The script's windows are
declared in EVENTS by "# win ID CLASS TITLE" lines the test writes.  Every
stretch between two events (to the "end" mark) is one expected span:
the stored span for it must have the same app and title (titles matching a
--hide pattern as "[hidden]"), start within the tolerance (default 1000 ms)
of the event and last within the tolerance of the stretch.  Spans stored
outside [first event, end] are ignored; every span inside must be one of
the expected ones (nothing doubled, nothing extra).  Exit 0 when all match.
"""
import re
import sys


def main():
    args = sys.argv[1:]
    hide = []
    while '--hide' in args:
        i = args.index('--hide')
        hide.append(re.compile(args[i + 1], re.I))
        del args[i:i + 2]
    events_file, spans_file = args[0], args[1]
    tol = int(args[2]) if len(args) > 2 else 1000

    wins = {}
    titles = {}
    stretches = []  # (start_ms, app, title as it was then)
    cur = None
    end = None
    for line in open(events_file, encoding='utf-8'):
        line = line.rstrip('\n')
        m = re.match(r'# win (\d+) (\S+) (.*)$', line)
        if m:
            wins[m.group(1)] = m.group(2)
            titles[m.group(1)] = m.group(3)
            continue
        m = re.match(r'(\d+) (activate|title|none|mark) ?(.*)$', line)
        if not m:
            continue
        t, cmd, rest = int(m.group(1)), m.group(2), m.group(3)
        if cmd == 'activate':
            cur = rest
            stretches.append((t, wins[cur], titles[cur]))
        elif cmd == 'title':
            wid, _, title = rest.partition(' ')
            titles[wid] = title
            if wid == cur:
                stretches.append((t, wins[cur], title))
        elif cmd == 'none':
            cur = None
            stretches.append((t, '(no window)', ''))
        elif rest == 'end':
            end = t
    if end is None:
        print('# no "mark end" in the events')
        return 1
    expected = []
    stretches = [st for st in stretches if st[0] < end]
    for i, (t, app, title) in enumerate(stretches):
        stop = stretches[i + 1][0] if i + 1 < len(stretches) else end
        if any(p.search(title) for p in hide):
            title = '[hidden]'
        expected.append((t, stop - t, app, title))

    first = stretches[0][0]
    stored = []
    for line in open(spans_file, encoding='utf-8'):
        parts = line.rstrip('\n').split('|')
        if len(parts) < 5:
            continue
        s, d = int(parts[0]), int(parts[1])
        # What was in front before the script or after it, cut by the
        # poll that saw it change, is none of the script's.
        if s + d <= first + 500 or s >= end - 500:
            continue
        stored.append((s, d, parts[2], parts[3], parts[4]))

    bad = 0
    used = set()
    for (t, d, app, title) in expected:
        hit = None
        for k, (s, sd, sapp, stitle, _afk) in enumerate(stored):
            if k in used or sapp != app or stitle != title:
                continue
            if abs(s - t) <= tol and abs(sd - d) <= tol:
                hit = k
                break
        if hit is None:
            print('# expected %s "%s" from %d for %d ms: not stored' % (app, title, t, d))
            bad += 1
        else:
            used.add(hit)
    for k, sp in enumerate(stored):
        if k not in used:
            print('# stored but not in the script: %s' % (sp,))
            bad += 1
    if bad:
        print('# expected:')
        for e in expected:
            print('#   %s' % (e,))
        print('# stored:')
        for s in stored:
            print('#   %s' % (s,))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
