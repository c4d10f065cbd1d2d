namespace VaeCfCluster.Model.Tests.Support;

/// <summary>
/// A background thread that allocates garbage non-stop (1,000-byte arrays, dropped every 1,000) and forces a
/// generation-0 collection each time it drops them, so that collections, and the finalizer thread that runs after
/// them, overlap whatever the test thread is doing. Used to catch TorchSharp Scalars finalized while LibTorch still
/// reads them (see <see cref="SafeTensorMath"/>). Dispose stops and joins the thread.
/// <para>
/// Frequent gen-0 collections are what expose the bug: an implicit Scalar is young, and the loop of
/// <c>a + b</c>, <c>mul(2.0)</c>, <c>div(2.0)</c> on small tensors failed within 0.9-3.5 s in six runs out of six with
/// this setting, against 2-10 s (or not within 10 s) with a full collection every 20,000 allocations.
/// </para>
/// </summary>
internal sealed class GcPressure : IDisposable
{
    private const int ArraysPerCollection = 1000;
    private readonly Thread _thread;
    private volatile bool _stop;
    private int _collections;

    public GcPressure()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "GC pressure" };
        _thread.Start();
    }

    /// <summary>Collections forced so far.</summary>
    public int Collections => Volatile.Read(ref _collections);

    private void Run()
    {
        var garbage = new List<byte[]>(ArraysPerCollection);
        while (!_stop)
        {
            garbage.Add(new byte[1000]);
            if (garbage.Count < ArraysPerCollection) continue;
            garbage.Clear();
            GC.Collect(0);
            Interlocked.Increment(ref _collections);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
