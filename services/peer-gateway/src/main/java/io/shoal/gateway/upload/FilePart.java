package io.shoal.gateway.upload;

import java.io.InputStream;

/** One file of a multipart/form-data upload: the path it gets in the torrent (its filename) and its bytes. */
record FilePart(String filename, InputStream body) {
}
