using Microsoft.Extensions.Options;
using TorchSharp;
using VaeCfCluster.Model;

namespace VaeCfCluster.Grains.Hosting;

/// <summary>The silo's tensor device and thread count, applied once when first used.</summary>
public sealed class TorchRuntime
{
    private readonly Lazy<torch.Device> _device;

    /// <summary>Applies <see cref="TorchRuntimeOptions.Threads"/> and resolves the device lazily.</summary>
    public TorchRuntime(IOptions<TorchRuntimeOptions> options)
    {
        var o = options.Value;
        _device = new Lazy<torch.Device>(() =>
        {
            if (o.Threads > 0) torch.set_num_threads(o.Threads);
            return o.Device == "auto" ? (torch.cuda.is_available() ? torch.CUDA : torch.CPU) : TorchDevices.Resolve(o.Device);
        });
    }

    /// <summary>Where this silo's workers and evaluators compute.</summary>
    public torch.Device Device => _device.Value;
}
