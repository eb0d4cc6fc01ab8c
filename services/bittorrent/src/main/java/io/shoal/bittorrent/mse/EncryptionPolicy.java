package io.shoal.bittorrent.mse;

import java.util.Locale;

/**
 * Which handshakes a peer wire endpoint speaks.
 * <ul>
 * <li>{@link #PREFER}: accepts plaintext and encrypted handshakes and answers in kind; dials encrypted,
 * offering plaintext or RC4 payloads (the peer picks), and dials again in plaintext when a peer closes an
 * encrypted handshake;</li>
 * <li>{@link #REQUIRE}: only encrypted handshakes, and an RC4 payload;</li>
 * <li>{@link #OFF}: only the plaintext handshake.</li>
 * </ul>
 */
public enum EncryptionPolicy {
    PREFER, REQUIRE, OFF;

    public static EncryptionPolicy of(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encryption '" + text + "' (expected: prefer, require or off)");
        }
    }
}
