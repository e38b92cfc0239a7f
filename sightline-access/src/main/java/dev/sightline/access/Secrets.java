package dev.sightline.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Random key text and the hashes stored instead of secrets. Keys are high-entropy, so one SHA-256
 * is enough to make a stolen access file useless; the admin password may be weak, so it gets a
 * slow salted PBKDF2.
 */
final class Secrets {
  static final int KEY_RANDOM_CHARS = 32;
  static final int PBKDF2_ITERATIONS = 120_000;
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  static String keyText(KeyKind kind) {
    return kind.secretPrefix() + random(BASE62, KEY_RANDOM_CHARS);
  }

  static String keyId() {
    return "k_" + random(ID_CHARS, 12);
  }

  /** The admin token printed on a first start without a configured password. */
  static String adminToken() {
    return random(BASE62, 24);
  }

  /** An opaque session token for a cookie (256 random bits). */
  static String sessionToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String random(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  static byte[] salt() {
    byte[] s = new byte[16];
    RANDOM.nextBytes(s);
    return s;
  }

  static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }

  static boolean sameBytes(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
