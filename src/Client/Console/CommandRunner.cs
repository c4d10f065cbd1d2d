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
        // A null argument is a defect in this program, never the user's input: it is shown as unexpected, not as their error.
        catch (Exception e) when (e is DataFormatException or CheckpointFormatException or (ArgumentException and not ArgumentNullException)
                                       or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or FormatException or UnauthorizedAccessException or IOException)
        {
            System.Console.Error.WriteLine($"error: {SettingNames.ForCommandLine(e)}");
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
            System.Console.Error.WriteLine(UnexpectedError(e));
            return 1;
        }
    }

    /// <summary>
    /// The one line shown for an unexpected failure: its type and the first line of its message. LibTorch's messages
    /// carry the native stack after the first line; the whole of it is shown with VAECF_DEBUG=1.
    /// </summary>
    internal static string UnexpectedError(Exception e)
    {
        string first = e.Message.Split('\n', 2)[0].TrimEnd();
        return $"error: unexpected {e.GetType().Name}: {first} (set VAECF_DEBUG=1 for details)";
    }
}
