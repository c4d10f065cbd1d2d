using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaeCfCluster.Grains.Hosting;

/// <summary>
/// The files of mutual TLS, loaded and checked: this process's certificate with its private key (PEM certificate +
/// PEM key, or one PKCS#12/PFX file) and the CA bundle a peer's certificate must chain to. Silos and the <c>vaecf</c>
/// client use the same rule: a peer is accepted only when its certificate chains to one of these CAs (the system's
/// trusted roots play no part), so holding a certificate from the cluster's CA is what admits a silo or a client.
/// Host names are not checked: silos are reached by pod IP.
/// </summary>
public sealed class TlsCredentials
{
    private int _peersAccepted;

    private TlsCredentials(X509Certificate2 certificate, X509Certificate2Collection authorities, string caPath)
    {
        Certificate = certificate;
        Authorities = authorities;
        CaPath = caPath;
    }

    /// <summary>This process's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates a peer's chain must end at.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>The CA bundle file, for messages.</summary>
    public string CaPath { get; }

    /// <summary>What the last refused peer certificate was refused for, or null when none was.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>How many peer certificates <see cref="ValidatePeer"/> has accepted.</summary>
    public int PeersAccepted => _peersAccepted;

    /// <summary>Called with the reason each time a peer certificate is refused (the silo logs it).</summary>
    public Action<string>? Rejected { get; set; }

    /// <summary>
    /// Loads the files. <paramref name="keyPath"/> may be empty for a PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) that holds
    /// the key. The names (<c>Tls:CertificatePath</c> or <c>--tls-cert</c>) are where each path came from; a missing
    /// or unreadable file, a key that does not match, an empty CA bundle, or (with <paramref name="checkOwnChain"/>) a
    /// certificate that does not chain to the CA throws <see cref="ArgumentException"/> with one line naming the
    /// setting and the file. Silos check their own chain; the client leaves that to the cluster, which says so when it
    /// refuses.
    /// </summary>
    public static TlsCredentials Load(string certificatePath, string? keyPath, string caPath,
        (string Certificate, string Key, string Ca) names, bool checkOwnChain = true)
    {
        var certificate = LoadCertificate(certificatePath, keyPath, names);
        var authorities = new X509Certificate2Collection();
        Read(names.Ca, caPath, () => authorities.ImportFromPemFile(caPath));
        if (authorities.Count == 0)
            throw new ArgumentException($"{names.Ca} '{caPath}' holds no PEM certificate (expected the CA bundle, '-----BEGIN CERTIFICATE-----').");
        var credentials = new TlsCredentials(certificate, authorities, caPath);
        if (checkOwnChain && credentials.FindProblem(certificate, null) is { } problem)
            throw new ArgumentException($"{names.Certificate} '{certificatePath}': {problem}");
        return credentials;
    }

    /// <summary>
    /// The check of a peer's certificate during the TLS handshake (Orleans' <c>RemoteCertificateValidation</c>): true
    /// when it chains to <see cref="Authorities"/>. A refusal is kept in <see cref="LastRejection"/> and reported to
    /// <see cref="Rejected"/>.
    /// </summary>
    public bool ValidatePeer(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (FindProblem(certificate, chain) is not { } problem)
        {
            Interlocked.Increment(ref _peersAccepted);
            return true;
        }
        LastRejection = problem;
        Rejected?.Invoke(problem);
        return false;
    }

    /// <summary>Why <paramref name="certificate"/> does not chain to <see cref="Authorities"/>, or null when it does.</summary>
    public string? FindProblem(X509Certificate2 certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        if (chain.Build(certificate)) return null;
        // A certificate out of its validity period chains to the CA; say what is wrong with it, not with the chain.
        if (chain.ChainStatus.All(st => st.Status is X509ChainStatusFlags.NotTimeValid or X509ChainStatusFlags.NoError))
        {
            var now = DateTime.UtcNow;
            string when = now > certificate.NotAfter.ToUniversalTime()
                ? $"expired on {certificate.NotAfter.ToUniversalTime():u}"
                : $"is not valid before {certificate.NotBefore.ToUniversalTime():u}";
            return $"certificate '{certificate.Subject}' issued by '{certificate.Issuer}' {when} (the CA in '{CaPath}' does sign it): renew it";
        }
        var statuses = chain.ChainStatus.Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct();
        return $"certificate '{certificate.Subject}' issued by '{certificate.Issuer}' does not chain to the CA in '{CaPath}' ({string.Join("; ", statuses)})";
    }

    private static X509Certificate2 LoadCertificate(string certificatePath, string? keyPath, (string Certificate, string Key, string Ca) names)
    {
        if (!File.Exists(certificatePath)) throw new ArgumentException($"{names.Certificate} '{certificatePath}' does not exist.");
        bool pkcs12 = Path.GetExtension(certificatePath).ToLowerInvariant() is ".pfx" or ".p12";
        X509Certificate2 certificate;
        if (pkcs12)
        {
            if (!string.IsNullOrWhiteSpace(keyPath))
                throw new ArgumentException($"{names.Key} '{keyPath}': not used with the PKCS#12 file {names.Certificate} '{certificatePath}', which holds the key; remove it.");
            certificate = Read(names.Certificate, certificatePath, () => X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password: null));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(keyPath))
                throw new ArgumentException($"{names.Key} is required with the PEM certificate {names.Certificate} '{certificatePath}' (or give a .pfx file that holds the key).");
            if (!File.Exists(keyPath)) throw new ArgumentException($"{names.Key} '{keyPath}' does not exist.");
            Read(names.Certificate, certificatePath, () => X509CertificateLoader.LoadCertificateFromFile(certificatePath).Dispose());
            certificate = Read(names.Key, keyPath, () => X509Certificate2.CreateFromPemFile(certificatePath, keyPath),
                $"is not a PEM private key that matches the certificate in {names.Certificate} '{certificatePath}'");
        }
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"{names.Certificate} '{certificatePath}' holds no private key.");
        return certificate;
    }

    private static void Read(string name, string path, Action read) => Read<object?>(name, path, () => { read(); return null; });

    private static T Read<T>(string name, string path, Func<T> read, string? cryptoProblem = null)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{name} '{path}' cannot be read: {e.Message}", e);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException's message ends in " (Parameter 'privateKey')", which names no setting the reader knows.
            var detail = e is ArgumentException { ParamName: { } parameter } ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : e.Message;
            throw new ArgumentException($"{name} '{path}' {cryptoProblem ?? "is not a readable certificate"} ({detail.Trim().TrimEnd('.')}).", e);
        }
    }
}
