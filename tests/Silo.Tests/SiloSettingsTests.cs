using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>Bad settings end a real <c>vaecf-silo</c> process with one line naming the setting, and no stack trace.</summary>
public sealed class SiloSettingsTests
{
    [Theory(Timeout = 60_000)]
    [InlineData("Silo__Clustering", "Redis", "Silo:RedisConnectionString is required when Silo:Clustering is Redis")]
    [InlineData("Silo__Clustering", "Kubernetes", "Silo:RedisConnectionString is required when Silo:Clustering is Kubernetes")]
    [InlineData("Silo__SiloPort", "0", "Silo:SiloPort must be a TCP port from 1 to 65535 (was 0)")]
    [InlineData("Silo__Clustering", "Cloud", "Silo:Clustering must be Localhost, Redis or Kubernetes (was 'Cloud')")]
    [InlineData("Silo__GatewayPort", "many", "'Silo:GatewayPort'")]
    [InlineData("Storage__Directory", " ", "Storage:Directory must name a folder")]
    [InlineData("Storage__Provider", "Redis", "Storage:RedisConnectionString is required when Storage:Provider is Redis")]
    [InlineData("Jobs__MaxConcurrent", "0", "Jobs:MaxConcurrent must be at least 1 (was 0)")]
    [InlineData("Torch__LibTorchPath", "/nonexistent/torch/lib", "the LibTorch folder /nonexistent/torch/lib does not exist")]
    [InlineData("VAECF_LIBTORCH", "/", "holds no libc10.so")]
    [InlineData("Torch__LibTorchPath", "/", "Torch:LibTorchPath: / holds no libc10.so")]
    [InlineData("Storage__Provider", "S3", "Storage:Provider must be Files or Redis (was 'S3').")]
    [InlineData("Torch__Devise", "cuda", "unknown setting Torch:Devise (environment Torch__Devise); Torch takes Device, LibTorchPath, Threads.")]
    [InlineData("Silo__Clusterring", "Redis", "unknown setting Silo:Clusterring")]
    [InlineData("Membership__ProbeTimeout", "abc", "'Membership:ProbeTimeout' to type 'System.TimeSpan' (a time span such as 00:00:10).")]
    // This test machine has no GPU: a silo told to use one must not start and then fail every job placed on it.
    [InlineData("Torch__Device", "cuda", "Torch:Device is 'cuda' but this silo sees no CUDA device")]
    public async Task SiloProgram_BadSetting_ExitsWithOneLineNamingTheSetting(string variable, string value, string expected)
    {
        var result = await SiloProcess.RunToExitAsync(new Dictionary<string, string?> { [variable] = value }, TimeSpan.FromSeconds(45));

        string all = $"exit {result.ExitCode}\n--- stdout\n{result.StandardOutput}--- stderr\n{result.StandardError}";
        Assert.True(result.ExitCode == 2, all);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, all);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError);
    }

    [Fact(Timeout = 60_000)]
    public async Task SiloProgram_PortInUseOrRedisSilent_OneLineNamingTheSetting()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        int taken = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var inUse = await SiloProcess.RunToExitAsync(new Dictionary<string, string?>(), TimeSpan.FromSeconds(45), $"--Silo:GatewayPort={taken}");
        Assert.True(inUse.ExitCode == 2, inUse.StandardOutput + inUse.StandardError);
        Assert.Equal($"error: Silo:GatewayPort {taken} is in use by another process (another silo on this host needs other ports).", inUse.StandardError.Trim());

        // A port held without a listener stands for a Redis that is down: connections to it are refused, and neither the
        // silo's own ports nor a server started meanwhile can take it.
        using var down = FreePorts.Reserve();
        var redis = await SiloProcess.RunToExitAsync(new Dictionary<string, string?>
        {
            ["Silo__Clustering"] = "Redis", ["Silo__RedisConnectionString"] = $"127.0.0.1:{down.Port},password=secret",
        }, TimeSpan.FromSeconds(45));
        Assert.True(redis.ExitCode == 2, redis.StandardOutput + redis.StandardError);
        var line = Assert.Single(redis.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"error: Silo:RedisConnectionString (127.0.0.1:{down.Port}): Redis does not answer", line);
        Assert.DoesNotContain("secret", redis.StandardOutput + redis.StandardError);
    }

    [Fact(Timeout = 60_000)]
    public async Task SiloProgram_Help_ExplainsTheSettingsWithoutStartingASilo()
    {
        var result = await SiloProcess.RunToExitAsync(new Dictionary<string, string?>(), TimeSpan.FromSeconds(45), "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Torch:Device", result.StandardOutput);
        Assert.Contains("Silo:RedisConnectionString", result.StandardOutput);
        Assert.DoesNotContain("Starting silo", result.StandardOutput + result.StandardError);
    }

    [Fact(Timeout = 60_000)]
    public async Task SiloProgram_CommandLineSetting_OverridesEnvironment()
    {
        // The environment says 12345 (valid); the command line, read last, says 0 (invalid) and must win.
        var result = await SiloProcess.RunToExitAsync(new Dictionary<string, string?> { ["Silo__SiloPort"] = "12345" },
            TimeSpan.FromSeconds(45), "--Silo:SiloPort=0");

        Assert.True(result.ExitCode == 2, result.StandardOutput + result.StandardError);
        Assert.Equal("error: Silo:SiloPort must be a TCP port from 1 to 65535 (was 0).", result.StandardError.Trim());
    }
}
