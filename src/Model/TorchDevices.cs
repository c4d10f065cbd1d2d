using System.Text.RegularExpressions;
using TorchSharp;

namespace VaeCfCluster.Model;

/// <summary>Parses device settings ("cpu", "cuda", "cuda:N") and checks that the device can be used here.</summary>
public static partial class TorchDevices
{
    [GeneratedRegex("^(cpu|cuda(:[0-9]+)?)$")]
    private static partial Regex DeviceName();

    /// <summary>Whether the text names a device this project supports.</summary>
    public static bool IsValidName(string name) => DeviceName().IsMatch(name);

    /// <summary>
    /// The device for a setting that may also be "auto" (a silo's <c>Torch:Device</c>): the GPU when LibTorch sees one,
    /// else the CPU; any other value as <see cref="Resolve"/> takes it.
    /// </summary>
    public static torch.Device ResolveSetting(string setting) =>
        setting == "auto" ? (torch.cuda.is_available() ? torch.CUDA : torch.CPU) : Resolve(setting);

    /// <summary>
    /// The device for a setting; throws a clear error when CUDA is asked for but this build or machine lacks it.
    /// </summary>
    public static torch.Device Resolve(string name)
    {
        if (!IsValidName(name)) throw new ArgumentException($"Unknown device '{name}': use 'cpu', 'cuda' or 'cuda:N'.");
        if (name == "cpu") return torch.CPU;
        if (!torch.cuda.is_available())
            throw new ArgumentException($"Device '{name}' was requested but CUDA is not available (this build uses the " +
                "CPU LibTorch, or no GPU is visible). Build with -p:VaeCfTorchBackend=cuda on a machine with a GPU, or use 'cpu'.");
        return new torch.Device(name);
    }
}
