#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests: accepts every message and
appends it, with its envelope, to a file.  Python's standard smtpd module
(Debian 12's python3); it speaks the SMTP protocol libcurl talks to.

    smtp-sink.py PORT OUTFILE
"""
import asyncore
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import smtpd  # noqa: E402


class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        with open(sys.argv[2], "ab") as out:
            out.write(b"X-Envelope-From: " + mailfrom.encode() + b"\r\n")
            out.write(b"X-Envelope-To: " + ",".join(rcpttos).encode() + b"\r\n")
            out.write(data if isinstance(data, bytes) else data.encode())
            out.write(b"\r\n.\r\n")


Sink(("127.0.0.1", int(sys.argv[1])), None, decode_data=False)
print("listening", flush=True)
asyncore.loop(timeout=0.5)
