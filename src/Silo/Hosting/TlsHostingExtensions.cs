using Orleans.Connections.Security;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Silo.Hosting;

/// <summary>Adds mutual TLS to a silo's silo-to-silo and gateway connections.</summary>
public static class TlsHostingExtensions
{
    /// <summary>The setting names <see cref="TlsCredentials.Load"/> uses in its messages.</summary>
    public static readonly (string Certificate, string Key, string Ca) SettingNames =
        ($"{TlsHostingOptions.SectionName}:{nameof(TlsHostingOptions.CertificatePath)}",
         $"{TlsHostingOptions.SectionName}:{nameof(TlsHostingOptions.KeyPath)}",
         $"{TlsHostingOptions.SectionName}:{nameof(TlsHostingOptions.CaPath)}");

    /// <summary>
    /// Loads the files of <paramref name="options"/> when TLS is enabled; null when it is not. Throws
    /// <see cref="ArgumentException"/> with one line naming the setting and file to fix.
    /// </summary>
    public static TlsCredentials? LoadCredentials(TlsHostingOptions options)
    {
        if (!options.Enabled) return null;
        const string S = TlsHostingOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.CertificatePath)) throw new ArgumentException($"{S}:CertificatePath is required when {S}:Enabled is true.");
        if (string.IsNullOrWhiteSpace(options.CaPath)) throw new ArgumentException($"{S}:CaPath is required when {S}:Enabled is true (the CA bundle peers' certificates must chain to).");
        return TlsCredentials.Load(options.CertificatePath, options.KeyPath, options.CaPath, SettingNames);
    }

    /// <summary>
    /// Requires TLS 1.2+ with a certificate from <paramref name="credentials"/>' CA on every inbound and outbound silo
    /// connection and on the gateway; this silo presents <see cref="TlsCredentials.Certificate"/> both as server and
    /// as client.
    /// </summary>
    public static ISiloBuilder UseVaeCfTls(this ISiloBuilder builder, TlsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return builder.UseTls(credentials.Certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = credentials.ValidatePeer;
        });
    }
}
