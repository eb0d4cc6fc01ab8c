#!/bin/sh
# Called by aria2c (--on-bt-download-complete) and Transmission (script-torrent-done) when a host has every
# piece: writes the time to $LAB_DONE, which lab.py reads as the host's completion.
date +%s.%N > "$LAB_DONE.tmp" && mv "$LAB_DONE.tmp" "$LAB_DONE"
