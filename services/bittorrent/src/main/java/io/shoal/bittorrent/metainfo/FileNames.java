package io.shoal.bittorrent.metainfo;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rules a file name in a torrent must follow before Shoal stores or serves it: every path component
 * non-empty UTF-8 of at most 255 bytes, no {@code .} or {@code ..}, no {@code /} or {@code \}, no control
 * characters, no NUL. Clients join the components onto a download directory, so any of these would let
 * a torrent write outside it or confuse a filesystem.
 */
public final class FileNames {

    public static final int MAX_COMPONENT_BYTES = 255;
    public static final int MAX_DEPTH = 64;

    private FileNames() {
    }

    public static void checkComponent(String component) throws MetainfoException {
        if (component.isEmpty()) {
            throw new MetainfoException("empty path component");
        }
        if (component.equals(".") || component.equals("..")) {
            throw new MetainfoException("path component '" + component + "' (expected: a name, not a directory reference)");
        }
        int bytes = component.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_COMPONENT_BYTES) {
            throw new MetainfoException("path component of " + bytes + " bytes (expected: <= " + MAX_COMPONENT_BYTES + ")");
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '/' || c == '\\') {
                throw new MetainfoException("path component '" + printable(component) + "' contains a path separator");
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new MetainfoException("path component '" + printable(component) + "' contains a control character");
            }
            if (c == '\uFFFD') {
                throw new MetainfoException("path component is not valid UTF-8");
            }
        }
    }

    public static void checkPath(List<String> path) throws MetainfoException {
        if (path.isEmpty()) {
            throw new MetainfoException("empty path");
        }
        if (path.size() > MAX_DEPTH) {
            throw new MetainfoException("path of " + path.size() + " components (expected: <= " + MAX_DEPTH + ")");
        }
        for (String component : path) {
            checkComponent(component);
        }
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
