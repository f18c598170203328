package io.spoavertx.config;

/**
 * TLS on the agent listener (HAProxy: {@code server ... ssl verify required ca-file ...}). Give
 * either a PKCS#12 key store or a PEM certificate chain and key.
 *
 * @param keyStore path of a PKCS#12 file holding the key and certificate chain
 * @param keyStorePassword its password
 * @param certPath path of a PEM certificate chain
 * @param keyPath path of the PEM private key (PKCS#8)
 */
public record TlsOptions(String keyStore, String keyStorePassword, String certPath, String keyPath) {

  /**
   * Checks that exactly one of the key store and the PEM pair is given.
   *
   * @param keyStore         path of a PKCS#12 file, or null
   * @param keyStorePassword its password, or null
   * @param certPath         path of a PEM certificate chain, or null
   * @param keyPath          path of the PEM private key, or null
   * @throws IllegalArgumentException if both or neither are given, or half of the PEM pair
   */
  public TlsOptions {
    boolean store = keyStore != null;
    boolean pem = certPath != null || keyPath != null;
    if (store == pem) {
      throw new IllegalArgumentException("keyStore: give either keyStore (PKCS#12) or certPath and keyPath (PEM)");
    }
    if (pem && (certPath == null || keyPath == null)) {
      throw new IllegalArgumentException((certPath == null ? "certPath" : "keyPath") + ": is required with PEM files");
    }
  }
}
