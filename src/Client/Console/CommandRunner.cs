using VaeCfCluster.Model;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Client.Console;

/// <summary>
/// Runs a command's body and turns every expected failure (bad input, bad settings, missing or corrupted files)
/// into one clear line on standard error and a non-zero exit code, never a stack trace.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Exit code for bad input or settings.</summary>
    public const int InputError = 2;

    /// <summary>Exit code for an interrupted run.</summary>
    public const int Interrupted = 130;

    /// <summary>Runs <paramref name="body"/>, mapping exceptions to messages and exit codes.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is DataFormatException or CheckpointFormatException or ArgumentException
                                       or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or FormatException or UnauthorizedAccessException or IOException)
        {
            System.Console.Error.WriteLine($"error: {e.Message}");
            return InputError;
        }
        catch (TypeInitializationException e) when (e.TypeName?.StartsWith("TorchSharp", StringComparison.Ordinal) == true)
        {
            System.Console.Error.WriteLine($"error: LibTorch could not be loaded from beside the program; set {LibTorchFolder.Variable} to a LibTorch " +
                "lib folder (for example an installed PyTorch's site-packages/torch/lib).");
            return InputError;
        }
        catch (OperationCanceledException)
        {
            System.Console.Error.WriteLine("interrupted.");
            return Interrupted;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("VAECF_DEBUG") != "1")
        {
            System.Console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message} (set VAECF_DEBUG=1 for details)");
            return 1;
        }
    }
}
