using VaeCfCluster.Model;

namespace VaeCfCluster.Grains.Hosting;

/// <summary>How this silo's grains run tensor work.</summary>
public sealed class TorchRuntimeOptions
{
    /// <summary>Configuration section name (environment: <c>Torch__Device</c>, <c>Torch__Threads</c>).</summary>
    public const string SectionName = "Torch";

    /// <summary>
    /// Where workers and evaluators on this silo compute: "auto" (default: the GPU when LibTorch sees one, else the
    /// CPU), "cpu", "cuda" or "cuda:N". CUDA needs the CUDA build (-p:VaeCfTorchBackend=cuda) and a visible GPU.
    /// </summary>
    public string Device { get; set; } = "auto";

    /// <summary>
    /// A folder to load LibTorch from instead of the program's own copy, such as an installed PyTorch's
    /// <c>site-packages/torch/lib</c> (CUDA without the CUDA NuGet packages). Empty (default): the environment variable
    /// <c>VAECF_LIBTORCH</c>, else the program's own LibTorch.
    /// </summary>
    public string LibTorchPath { get; set; } = "";

    /// <summary>LibTorch intra-op threads for this process; 0 (default) keeps LibTorch's choice (one per core).</summary>
    public int Threads { get; set; }

    /// <summary>Throws naming the setting to fix.</summary>
    public void Validate()
    {
        if (Device != "auto" && !TorchDevices.IsValidName(Device))
            throw new ArgumentException($"{SectionName}:{nameof(Device)} must be 'auto', 'cpu', 'cuda' or 'cuda:N' (was '{Device}').");
        if (Threads < 0) throw new ArgumentException($"{SectionName}:{nameof(Threads)} must be 0 (default) or positive (was {Threads}).");
    }
}
