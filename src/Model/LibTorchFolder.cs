using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace VaeCfCluster.Model;

/// <summary>
/// Loads LibTorch from a folder instead of the application's own copy: an installed PyTorch's <c>torch/lib</c> (which
/// brings CUDA where the CUDA NuGet packages are not served) or any LibTorch distribution. Its libraries are loaded
/// with every symbol bound at once, then TorchSharp's native shim from the application folder, so TorchSharp finds
/// LibTorch already in the process and a symbol the shim needs but the folder lacks is reported now, in one line,
/// rather than as a crash in the middle of training. Must run before the first tensor operation.
/// </summary>
public static partial class LibTorchFolder
{
    /// <summary>Environment variable naming the folder (the silo setting <c>Torch:LibTorchPath</c> does the same).</summary>
    public const string Variable = "VAECF_LIBTORCH";

    /// <summary>The LibTorch version TorchSharp 0.107 is built against.</summary>
    public const string ExpectedVersion = "2.10.0";

    private const int RtldNow = 0x2, RtldGlobal = 0x100;
    private static readonly Lock Gate = new();
    private static string? _loaded;

    /// <summary>The folder loaded so far, if any.</summary>
    public static string? Loaded => _loaded;

    /// <summary>
    /// Loads LibTorch from <paramref name="folder"/> (once per process). Returns its version and a warning when it is
    /// not the version TorchSharp was built against; throws <see cref="ArgumentException"/> with one line naming the
    /// folder, the library and the missing symbol when it cannot be used.
    /// </summary>
    public static (string Version, string? Warning) Load(string folder)
    {
        var path = Path.GetFullPath(folder);
        lock (Gate)
        {
            if (_loaded is { } done && done != path)
                throw new ArgumentException($"LibTorch is already loaded from {done}; it cannot also come from {path}.");
            if (!Directory.Exists(path)) throw new ArgumentException($"{Variable}: the LibTorch folder {path} does not exist.");
            if (!OperatingSystem.IsLinux()) throw new ArgumentException($"{Variable}: loading LibTorch from a folder is supported on Linux only.");
            string version = VersionOf(path);
            foreach (var name in new[] { "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" })
            {
                var library = Path.Combine(path, name);
                bool required = name is "libc10.so" or "libtorch_cpu.so" or "libtorch.so";
                if (!File.Exists(library))
                {
                    if (required) throw new ArgumentException($"{Variable}: {path} holds no {name}; point it at LibTorch's lib folder (for PyTorch: site-packages/torch/lib).");
                    continue;
                }
                Open(library, $"{Variable}: cannot load {library} (LibTorch {version})");
            }
            var shim = ShimPath() ?? throw new ArgumentException("TorchSharp's native shim (libLibTorchSharp.so) is missing from the application folder.");
            Open(shim, $"TorchSharp (built for LibTorch {ExpectedVersion}) cannot use the LibTorch {version} in {path}");
            _loaded = path;
            string? warning = SameMinor(version, ExpectedVersion) ? null
                : $"LibTorch {version} from {path} is not the {ExpectedVersion} TorchSharp was built for; every symbol it needs was found.";
            return (version, warning);
        }
    }

    /// <summary>Loads the folder named by <see cref="Variable"/>, if set; null otherwise.</summary>
    public static (string Version, string? Warning)? LoadFromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder ? Load(folder) : null;

    /// <summary>The version of the LibTorch in <paramref name="folder"/>: PyTorch's version.py beside torch/lib, else a version in the path, else "unknown".</summary>
    public static string VersionOf(string folder)
    {
        var versionFile = Path.Combine(folder, "..", "version.py");
        if (File.Exists(versionFile) && VersionLine().Match(File.ReadAllText(versionFile)) is { Success: true } m) return m.Groups[1].Value;
        return PathVersion().Match(folder.Replace('\\', '/')) is { Success: true } p ? p.Groups[1].Value : "unknown";
    }

    private static bool SameMinor(string version, string expected)
    {
        var a = version.Split('.', '+');
        var b = expected.Split('.');
        return a.Length >= 2 && a[0] == b[0] && a[1] == b[1];
    }

    private static string? ShimPath()
    {
        foreach (var candidate in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    private static void Open(string library, string problem)
    {
        // The first call binds dlerror itself (a lookup that would clear the error state), so bind it before dlopen.
        Native.dlerror();
        if (Native.dlopen(library, RtldNow | RtldGlobal) != IntPtr.Zero) return;
        string error = Marshal.PtrToStringUTF8(Native.dlerror()) ?? "unknown error";
        var symbol = MissingSymbol().Match(error);
        throw new ArgumentException(symbol.Success
            ? $"{problem}: it lacks the symbol {symbol.Groups[1].Value} ({Path.GetFileName(library)})."
            : $"{problem}: {error}");
    }

    [GeneratedRegex(@"__version__\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"/(\d+\.\d+\.\d+(?:\.\d+)?)(?:/|$)")]
    private static partial Regex PathVersion();

    [GeneratedRegex(@"undefined symbol: (\S+)")]
    private static partial Regex MissingSymbol();

    private static partial class Native
    {
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr dlopen(string file, int mode);

        [LibraryImport("libc")]
        internal static partial IntPtr dlerror();
    }
}
