# Makes a .torrent with python3-libtorrent's create_torrent: the reference for hybrid and v2 info
# dictionaries. Usage: make_torrent.py PATH PIECE_LENGTH hybrid|v2|v1 OUT; prints the info-hashes.
import sys
import libtorrent as lt

path, piece_length, fmt, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
flags = {"hybrid": 0, "v2": lt.create_torrent.v2_only, "v1": lt.create_torrent.v1_only}[fmt]
fs = lt.file_storage()
lt.add_files(fs, path)
ct = lt.create_torrent(fs, piece_length, flags=flags)
import os
lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(path)))
data = lt.bencode(ct.generate())
open(out, "wb").write(data)
ti = lt.torrent_info(out)
hashes = ti.info_hashes()
print("v1", hashes.v1.to_bytes().hex() if hashes.has_v1() else "-")
print("v2", hashes.v2.to_bytes().hex() if hashes.has_v2() else "-")
