using System.Text.Json;
using VaeCfCluster.Model;

namespace VaeCfCluster.Client.Tests;

/// <summary>
/// <c>vaecf</c> from an output folder stripped of its own LibTorch, loading LibTorch from a folder named by
/// VAECF_LIBTORCH (here the CPU LibTorch of the NuGet cache; on a GPU machine an installed PyTorch's torch/lib).
/// </summary>
public sealed class LibTorchFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-libtorch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The CPU LibTorch restored for this build (the NuGet cache's libtorch-cpu-linux-x64 package).</summary>
    internal static string NuGetLibTorch()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var folder = Path.Combine(packages, "libtorch-cpu-linux-x64", LibTorchFolder.ExpectedVersion, "runtimes", "linux-x64", "native");
        Assert.True(File.Exists(Path.Combine(folder, "libtorch_cpu.so")), $"the restored LibTorch is not at {folder}");
        return folder;
    }

    private static readonly string[] LibTorchFiles = ["libtorch", "libc10", "libgomp", "libshm", "libbackend_with_compiler", "libjitbackend_test",
        "libnnapi_backend", "libaoti_custom_ops", "libtorchbind_test"];

    /// <summary>A copy of the program's folder without LibTorch (the managed files and the other natives only).</summary>
    private string StrippedProgram()
    {
        string source = AppContext.BaseDirectory, target = Path.Combine(_folder, "app");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var natives = Path.Combine(source, "runtimes", "linux-x64", "native");
        var nativeTarget = Directory.CreateDirectory(Path.Combine(target, "runtimes", "linux-x64", "native")).FullName;
        foreach (var file in Directory.GetFiles(natives).Where(f => !LibTorchFiles.Any(Path.GetFileName(f).StartsWith)))
            File.Copy(file, Path.Combine(nativeTarget, Path.GetFileName(file)));
        Assert.False(File.Exists(Path.Combine(nativeTarget, "libtorch_cpu.so")));
        return Path.Combine(target, "vaecf.dll");
    }

    private static double TestNdcg(string output) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json"))).RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();

    [Fact]
    public void Train_StrippedProgramWithLibTorchFolder_TrainsTheSameModelAsTheFullProgram()
    {
        string program = StrippedProgram(), libTorch = NuGetLibTorch();
        string[] train = ["train", "--epochs", "1", "--single-process", "--heldout-users", "200", "--fresh"];

        var stripped = VaecfProcess.Run(_folder, program, new Dictionary<string, string> { [LibTorchFolder.Variable] = libTorch },
            [.. train, "--out", Path.Combine(_folder, "stripped")]);
        var full = VaecfProcess.Run(_folder, [.. train, "--out", Path.Combine(_folder, "full")]);

        Assert.True(stripped.ExitCode == 0, stripped.StandardError);
        Assert.Contains($"libtorch: {LibTorchFolder.ExpectedVersion} from {libTorch}", stripped.StandardError);
        Assert.Equal(0, full.ExitCode);
        Assert.Equal(TestNdcg(Path.Combine(_folder, "full")), TestNdcg(Path.Combine(_folder, "stripped")));
    }

    [Fact]
    public void Train_StrippedProgramWithoutLibTorch_SaysToSetTheVariableInOneLine()
    {
        var result = VaecfProcess.Run(_folder, StrippedProgram(), new Dictionary<string, string>(),
            "train", "--epochs", "1", "--single-process", "--out", Path.Combine(_folder, "out"));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
        Assert.Contains(LibTorchFolder.Variable, line);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Fact]
    public void Train_LibTorchFolderLackingSymbols_NamesTheMissingSymbolInOneLine()
    {
        // A "LibTorch" whose libtorch_cpu.so is really the tiny libtorch_global_deps.so: TorchSharp's shim needs
        // torch symbols that nothing in the folder defines.
        string libTorch = NuGetLibTorch(), broken = Directory.CreateDirectory(Path.Combine(_folder, "broken")).FullName;
        foreach (var name in new[] { "libc10.so", "libtorch.so" })
            File.Copy(Path.Combine(libTorch, name), Path.Combine(broken, name));
        File.Copy(Path.Combine(libTorch, "libtorch_global_deps.so"), Path.Combine(broken, "libtorch_cpu.so"));
        foreach (var gomp in Directory.GetFiles(libTorch, "libgomp*")) File.Copy(gomp, Path.Combine(broken, Path.GetFileName(gomp)));

        var result = VaecfProcess.Run(_folder, StrippedProgram(), new Dictionary<string, string> { [LibTorchFolder.Variable] = broken },
            "train", "--epochs", "1", "--single-process", "--out", Path.Combine(_folder, "out"));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lacks the symbol", line);
        Assert.Contains(LibTorchFolder.ExpectedVersion, line);
        Assert.False(Directory.Exists(Path.Combine(_folder, "out")));
    }
}
