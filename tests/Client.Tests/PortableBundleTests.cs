using System.Diagnostics;
using System.Text.Json;
using VaeCfCluster.Model;

namespace VaeCfCluster.Client.Tests;

/// <summary>
/// scripts/portable-bundle.sh: a .NET runtime with vaecf and vaecf-silo, without LibTorch, that trains from its
/// unpacked .tar.xz on a machine without .NET (here: no dotnet on PATH, no DOTNET_ROOT) with VAECF_LIBTORCH naming a
/// LibTorch folder (here the NuGet cache's CPU LibTorch; on a GPU machine an installed PyTorch's torch/lib).
/// </summary>
public sealed class PortableBundleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-bundle-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VaeCfCluster.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No VaeCfCluster.sln above {AppContext.BaseDirectory}.");
    }

    private static (int ExitCode, string Output, string Error) Run(string file, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run(file, environment, TimeSpan.FromMinutes(8), args);

    private static (int ExitCode, string Output, string Error) Run(string file, IReadOnlyDictionary<string, string?> environment, TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {limit.TotalMinutes:0} minutes.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static double TestNdcg(string output) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json"))).RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();

    [Fact]
    public void Bundle_UnpackedWithoutDotnet_TrainsTheSameModelAsTheBuiltProgram()
    {
        string bundle = Path.Combine(_folder, "made", "vaecf-bundle");
        // The real bundle (xz -9e, as without VAECF_BUNDLE_XZ), whose size is checked below: two Release builds and
        // minutes of single-threaded xz, much longer on a busy machine, hence the long limit.
        var made = Run("bash", new Dictionary<string, string?> { ["VAECF_BUNDLE_XZ"] = null }, TimeSpan.FromMinutes(20),
            Path.Combine(RepositoryRoot(), "scripts", "portable-bundle.sh"), bundle);
        Assert.True(made.ExitCode == 0, made.Error);
        var archive = new FileInfo(bundle + ".tar.xz");
        Assert.True(archive.Exists);
        Assert.True(archive.Length < 48L * 1024 * 1024, $"the bundle is {archive.Length / 1e6:F1} MB compressed");

        // Unpacked elsewhere: nothing of LibTorch inside, and no .NET outside it.
        string unpacked = Directory.CreateDirectory(Path.Combine(_folder, "machine")).FullName;
        Assert.Equal(0, Run("tar", new Dictionary<string, string?>(), "-C", unpacked, "-xJf", archive.FullName).ExitCode);
        string root = Path.Combine(unpacked, "vaecf-bundle");
        Assert.Empty(Directory.GetFiles(root, "libtorch_cpu.so", SearchOption.AllDirectories));
        // PATH holds only the two tools the launchers use, so the machine's own dotnet cannot be found.
        string tools = Directory.CreateDirectory(Path.Combine(_folder, "tools")).FullName;
        foreach (var tool in new[] { "dirname", "readlink" })
            File.CreateSymbolicLink(Path.Combine(tools, tool), Path.Combine("/usr/bin", tool));
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = tools, ["DOTNET_ROOT"] = null, [LibTorchFolder.Variable] = LibTorchFolderTests.NuGetLibTorch(), ["VAECF_DEBUG"] = "0",
        };
        string[] train = ["train", "--epochs", "1", "--single-process", "--heldout-users", "200", "--fresh"];
        var fromBundle = Run(Path.Combine(root, "vaecf"), environment, [.. train, "--out", Path.Combine(_folder, "bundle-run")]);
        Assert.True(fromBundle.ExitCode == 0, fromBundle.Error);
        Assert.Contains($"libtorch: {LibTorchFolder.ExpectedVersion} from", fromBundle.Error);

        var built = VaecfProcess.Run(_folder, [.. train, "--out", Path.Combine(_folder, "built-run")]);
        Assert.Equal(0, built.ExitCode);
        Assert.Equal(TestNdcg(Path.Combine(_folder, "built-run")), TestNdcg(Path.Combine(_folder, "bundle-run")));

        // Without VAECF_LIBTORCH the launcher asks python3 where torch/lib is (here a stand-in that names the NuGet LibTorch).
        string python = Path.Combine(tools, "python3");
        File.WriteAllText(python, $"#!/bin/sh\necho '{LibTorchFolderTests.NuGetLibTorch()}'\n");
        Assert.Equal(0, Run("chmod", new Dictionary<string, string?>(), "+x", python).ExitCode);
        var found = Run(Path.Combine(root, "vaecf"), new Dictionary<string, string?>(environment) { [LibTorchFolder.Variable] = null },
            [.. train, "--out", Path.Combine(_folder, "python-run")]);
        Assert.True(found.ExitCode == 0, found.Error);
        Assert.Contains($"libtorch: {LibTorchFolder.ExpectedVersion} from {LibTorchFolderTests.NuGetLibTorch()}", found.Error);

        // The silo program starts from the bundle too: a bad setting is refused in one line (exit code 2).
        var silo = Run(Path.Combine(root, "vaecf-silo"), environment, "--Silo:SiloPort=0");
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("SiloPort", silo.Error);
        Assert.DoesNotContain("   at ", silo.Error);
    }
}
