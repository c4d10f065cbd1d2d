using VaeCfCluster.Client.Tests;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>Bad TLS files end <c>vaecf-silo</c> (exit 2) and <c>vaecf</c> with one line naming the setting or option and the file.</summary>
public sealed class TlsSettingsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Theory(Timeout = 60_000)]
    [InlineData("Tls__CertificatePath", "missing", "Tls:CertificatePath '{missing}' does not exist")]
    [InlineData("Tls__KeyPath", "other.key", "Tls:KeyPath '{other.key}' is not a PEM private key that matches the certificate in Tls:CertificatePath")]
    [InlineData("Tls__CaPath", "silo.key", "Tls:CaPath '{silo.key}' holds no PEM certificate")]
    [InlineData("Tls__CaPath", "other-ca.crt", "Tls:CertificatePath '{silo.crt}': certificate 'CN=vaecf-silo' issued by 'CN=VaeCf Test CA' does not chain to the CA in")]
    [InlineData("Tls__CaPath", "", "Tls:CaPath is required when Tls:Enabled is true")]
    [InlineData("Tls__CertificatePath", "expired.crt", "certificate 'CN=vaecf-expired' issued by 'CN=VaeCf Test CA' expired on ")]
    public async Task SiloProgram_BadTlsFile_ExitsWithOneLineNamingSettingAndFile(string variable, string file, string expected)
    {
        var settings = _certificates.SiloSettings();
        settings[variable] = file.Length == 0 ? "" : Path.Combine(_certificates.Folder, file);
        if (file == "expired.crt") settings["Tls__KeyPath"] = _certificates.ExpiredKey;
        expected = expected.Replace("{missing}", Path.Combine(_certificates.Folder, "missing"))
            .Replace("{other.key}", _certificates.OtherKey).Replace("{silo.key}", _certificates.SiloKey).Replace("{silo.crt}", _certificates.SiloCertificate);

        var result = await SiloProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(45));

        string all = $"exit {result.ExitCode}\n--- stdout\n{result.StandardOutput}--- stderr\n{result.StandardError}";
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(result.ExitCode == 2 && lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal)
            && lines[0].Contains(expected, StringComparison.Ordinal), all);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError);
    }

    [Fact(Timeout = 60_000)]
    public async Task StatusCommand_TlsKeyOfAnotherCertificate_OneLineNamingTheOption()
    {
        await Task.Yield();
        var folder = _certificates.Folder;
        var result = VaecfProcess.Run(folder, "status", "--cluster", "127.0.0.1:1", "--job", "j",
            "--tls-cert", _certificates.ClientCertificate, "--tls-key", _certificates.OtherKey, "--tls-ca", _certificates.Ca);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: --tls-key '{_certificates.OtherKey}' is not a PEM private key that matches the certificate in --tls-cert '{_certificates.ClientCertificate}'",
            result.StandardError.Trim()[..result.StandardError.Trim().IndexOf(" (", StringComparison.Ordinal)]);
    }

    [Fact(Timeout = 60_000)]
    public async Task TrainCommand_TlsCertWithoutCa_OneLineNamingTheOption()
    {
        await Task.Yield();
        var result = VaecfProcess.Run(_certificates.Folder, "train", "--cluster", "127.0.0.1:1", "--epochs", "1",
            "--tls-cert", _certificates.ClientCertificate, "--tls-key", _certificates.ClientKey);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tls-ca is required with --tls-cert", result.StandardError);
    }
}
