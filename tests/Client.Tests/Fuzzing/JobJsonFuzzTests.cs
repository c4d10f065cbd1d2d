using VaeCfCluster.Client.Commands;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Grains.Storage;
using VaeCfCluster.Model.Tests.Fuzzing;
using Xunit.Abstractions;

namespace VaeCfCluster.Client.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of a job's stored <c>spec.json</c> and <c>status.json</c>: the silo's <see cref="JobStore"/>
/// reads each as a value it can use (the spec's settings validate or are refused with <see cref="ArgumentException"/>,
/// as the job grain does) or as absent, never throwing; <c>vaecf status --out</c> reads a status file or refuses it
/// with one <see cref="InvalidDataException"/> line naming the file.
/// </summary>
public sealed class JobJsonFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Fact]
    public void JobStore_MutatedSpec_LoadsAUsableSpecOrNone()
    {
        var (store, file) = Store("spec.json");
        store.SaveSpec(new TrainingJobSpec("ml-1m", new ModelSettings { ItemCount = 6, HiddenDims = [4], LatentDim = 2 }, new TrainingSettings(),
            new ClusterSettings(), 1234, new string('a', 64), Fresh: false));
        var seed = File.ReadAllBytes(file);
        FuzzHarness.Run(new FuzzTarget
        {
            Format = "spec.json",
            Next = random => Mutator.Mutate(random, seed),
            Parse = bytes =>
            {
                File.WriteAllBytes(file, bytes);
                var spec = store.LoadSpec() ?? throw new StoredValueAbsentException();
                _ = spec.Model.SameAs(spec.Model) && spec.Training == spec.Training;
                spec.Model.ToConfig().Validate();
                spec.Training.ToOptions().Validate();
                spec.Cluster.Validate();
            },
            IsClearRefusal = e => e is StoredValueAbsentException or ArgumentException,
        }, output.WriteLine);
    }

    [Fact]
    public void StatusFile_Mutated_IsReadAndShownOrRefusedInOneLine()
    {
        var (store, file) = Store("status.json");
        store.SaveStatus(new TrainingJobStatus
        {
            JobId = "job", State = TrainingJobState.Training, Epoch = 2, Epochs = 5, Batch = 3, Batches = 9, Step = 21, Loss = 512.5,
            Beta = 0.01, LastValidationNdcg100 = 0.3, BestValidationNdcg100 = 0.31, BestEpoch = 1, RemainingSeconds = 90, Workers = 2,
            Silos = 1, DataName = "ml-1m", Test = [new MetricValue("NDCG@100", 0.4, 0.01, 600)],
            History = [new EpochSummary(1, 9, 520, 510, 10, 0.005, 0.31, 1.5, 0.2, 4000, 1 << 20)],
        });
        var seed = File.ReadAllBytes(file);
        FuzzHarness.Run(new FuzzTarget
        {
            Format = "status.json",
            Next = random => Mutator.Mutate(random, seed),
            Parse = bytes =>
            {
                File.WriteAllBytes(file, bytes);
                _ = store.LoadStatus() is { } stored && stored.IsFinished;
                var status = StatusCommand.ReadStatusFile(file);
                _ = StatusCommand.Describe(status) + MetricsTable.Render(status.JobId, status.Test);
                _ = status.History.Sum(h => h.Seconds);
            },
            IsClearRefusal = e => e is InvalidDataException && e.Message.StartsWith(file, StringComparison.Ordinal) && !e.Message.Contains('\n'),
        }, output.WriteLine);
    }

    private (JobStore Store, string File) Store(string name)
    {
        var store = new JobStore(new FileJobBlobStore(_folder.Path), "job");
        return (store, Path.Combine(_folder.Path, "job", name));
    }

    /// <summary>The store read the value as absent: its documented answer to a corrupted file.</summary>
    private sealed class StoredValueAbsentException : Exception;

    public void Dispose() => _folder.Dispose();
}
