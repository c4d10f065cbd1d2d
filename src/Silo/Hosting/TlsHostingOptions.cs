namespace VaeCfCluster.Silo.Hosting;

/// <summary>
/// Mutual TLS on the silo port (silo to silo) and the gateway port (clients). Bound from the "Tls" section
/// (<c>Tls__Enabled=true</c>); the files are loaded and checked before the silo starts. Off by default, so loopback
/// development needs no certificates; the Helm chart turns it on.
/// </summary>
public sealed class TlsHostingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Tls";

    /// <summary>
    /// True to require TLS with a certificate from <see cref="CaPath"/>'s CA on every silo and gateway connection; a
    /// peer without one is refused during the handshake. Default false.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// This silo's certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 file ending in .pfx or .p12 that
    /// holds the key, without a password. Its extended key usages must allow server and client authentication, as a
    /// silo is both. Required when <see cref="Enabled"/>.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> (PKCS#8 or the key type's own format). Required with a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// PEM bundle of the CA certificates that issue the cluster's silo and client certificates. A peer is accepted
    /// only when its certificate chains to one of them. Required when <see cref="Enabled"/>.
    /// </summary>
    public string? CaPath { get; set; }
}
