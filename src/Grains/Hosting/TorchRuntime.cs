using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TorchSharp;
using VaeCfCluster.Model;

namespace VaeCfCluster.Grains.Hosting;

/// <summary>
/// The silo's tensor device, thread count and compute thread. Grains run their tensor work through
/// <see cref="RunAsync{T}"/>, which executes it on one long-lived thread per silo: LibTorch's OpenMP keeps a team of
/// threads per calling thread, so work hopping between pool threads would keep starting and waking fresh teams
/// (measured: the same gradient step took 80-170 ms from pool threads against about 100 ms from one thread). With
/// several workers on a silo their steps queue; each step already uses every core through intra-op threads.
/// </summary>
public sealed class TorchRuntime : IDisposable
{
    private readonly Lazy<torch.Device> _device;
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _thread;

    /// <summary>Applies <see cref="TorchRuntimeOptions.Threads"/> on the compute thread and resolves the device lazily.</summary>
    public TorchRuntime(IOptions<TorchRuntimeOptions> options)
    {
        var o = options.Value;
        _device = new Lazy<torch.Device>(() => TorchDevices.ResolveSetting(o.Device));
        _thread = new Thread(() =>
        {
            if (o.Threads > 0) torch.set_num_threads(o.Threads);
            foreach (var work in _queue.GetConsumingEnumerable()) work();
        })
        { IsBackground = true, Name = "vaecf-torch" };
        _thread.Start();
    }

    /// <summary>Where this silo's workers and evaluators compute.</summary>
    public torch.Device Device => _device.Value;

    /// <summary>Runs <paramref name="work"/> on the compute thread.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try { completion.SetResult(work()); }
            catch (Exception e) { completion.SetException(e); }
        });
        return completion.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the compute thread.</summary>
    public Task RunAsync(Action work) => RunAsync(() => { work(); return true; });

    /// <summary>Stops the compute thread after the queued work.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(30));
        _queue.Dispose();
    }
}
