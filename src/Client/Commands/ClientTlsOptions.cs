using System.CommandLine;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Client.Commands;

/// <summary><c>--tls-cert</c>, <c>--tls-key</c>, <c>--tls-ca</c>: mutual TLS to a cluster whose silos set <c>Tls:Enabled</c>.</summary>
internal sealed class ClientTlsOptions
{
    private static readonly (string Certificate, string Key, string Ca) Names = ("--tls-cert", "--tls-key", "--tls-ca");

    public Option<string?> Certificate { get; } = new("--tls-cert")
    {
        Description = "With --cluster: this client's certificate for a cluster that requires TLS, a PEM file (with --tls-key) or a .pfx/.p12 file holding the key.",
    };

    public Option<string?> Key { get; } = new("--tls-key")
    {
        Description = "The PEM private key of --tls-cert.",
    };

    public Option<string?> Ca { get; } = new("--tls-ca")
    {
        Description = "PEM bundle of the cluster's CA: the gateway's certificate must chain to it.",
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Certificate);
        command.Options.Add(Key);
        command.Options.Add(Ca);
    }

    /// <summary>
    /// The loaded files, or null when no --tls-* option is given. Throws <see cref="ArgumentException"/> naming the
    /// option and file for a missing, unreadable or mismatched file, or when only some of the options are given.
    /// </summary>
    public TlsCredentials? Resolve(ParseResult result)
    {
        string? certificate = result.GetValue(Certificate), key = result.GetValue(Key), ca = result.GetValue(Ca);
        if (certificate is null && key is null && ca is null) return null;
        if (string.IsNullOrWhiteSpace(certificate)) throw new ArgumentException("--tls-cert is required with --tls-key or --tls-ca (mutual TLS needs this client's certificate).");
        if (string.IsNullOrWhiteSpace(ca)) throw new ArgumentException("--tls-ca is required with --tls-cert (the CA the gateway's certificate must chain to).");
        return TlsCredentials.Load(certificate, key, ca, Names, checkOwnChain: false);
    }
}
