using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// PEM files for mutual-TLS tests, made fresh in a temp folder: the cluster's CA with a silo and a client certificate
/// it issued, and a second CA with a certificate of its own (an outsider). Deleted on dispose.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }
    public string Ca => Path.Combine(Folder, "ca.crt");
    public string SiloCertificate => Path.Combine(Folder, "silo.crt");
    public string SiloKey => Path.Combine(Folder, "silo.key");
    public string ClientCertificate => Path.Combine(Folder, "client.crt");
    public string ClientKey => Path.Combine(Folder, "client.key");
    public string OtherCa => Path.Combine(Folder, "other-ca.crt");
    public string OtherCertificate => Path.Combine(Folder, "other.crt");
    public string OtherKey => Path.Combine(Folder, "other.key");
    public string ExpiredCertificate => Path.Combine(Folder, "expired.crt");
    public string ExpiredKey => Path.Combine(Folder, "expired.key");

    /// <summary>Silo environment settings that turn TLS on with the silo certificate.</summary>
    public Dictionary<string, string?> SiloSettings() => new()
    {
        ["Tls__Enabled"] = "true",
        ["Tls__CertificatePath"] = SiloCertificate,
        ["Tls__KeyPath"] = SiloKey,
        ["Tls__CaPath"] = Ca,
    };

    public static TestCertificates Create()
    {
        var files = new TestCertificates(Directory.CreateTempSubdirectory("vaecf-tls-").FullName);
        using (var ca = CreateAuthority("VaeCf Test CA"))
        {
            File.WriteAllText(files.Ca, ca.ExportCertificatePem());
            Issue(ca, "vaecf-silo", files.SiloCertificate, files.SiloKey);
            Issue(ca, "vaecf-client", files.ClientCertificate, files.ClientKey);
            // Signed by the right CA, but its validity ended ten minutes ago.
            Issue(ca, "vaecf-expired", files.ExpiredCertificate, files.ExpiredKey, DateTimeOffset.UtcNow.AddMinutes(-50), DateTimeOffset.UtcNow.AddMinutes(-10));
        }
        using (var other = CreateAuthority("Other CA"))
        {
            File.WriteAllText(files.OtherCa, other.ExportCertificatePem());
            Issue(other, "intruder", files.OtherCertificate, files.OtherKey);
        }
        return files;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // The authority outlives what it issues by a day either side: a leaf's validity, taken from the clock a moment
        // later, must never end after its issuer's (CertificateRequest.Create refuses that).
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    private static void Issue(X509Certificate2 authority, string name, string certificatePath, string keyPath,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(authority, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(1),
            RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
