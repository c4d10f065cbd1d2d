using VaeCfCluster.Client.Commands;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Grains.Storage;
using VaeCfCluster.Model.Tests.Fuzzing;

namespace VaeCfCluster.Client.Tests.Fuzzing;

/// <summary>The minimized inputs with which fuzzing found job JSON bugs, each pinned to its fix.</summary>
public sealed class JobJsonFuzzRegressionTests : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Fact]
    public void JobStore_SpecWithoutClusterSettings_IsReadAsAbsent()
    {
        // Found by fuzzing: the grain validated spec.Cluster of a stored spec without one (NullReferenceException).
        var file = Write("spec.json",
            "{\"\":\"\",\"Model\":{\"ItemCount\":6,\"\":[],\"\":5,\"\":0,\"\":0},\"Training\":{\"\":5,\"\":1,\"\":1,\"\":false},\"\":4,\"\":\"\",\"\":false}");
        Assert.True(File.Exists(file));
        Assert.Null(new JobStore(new FileJobBlobStore(_folder.Path), "job").LoadSpec());
    }

    [Fact]
    public void StatusFile_MetricWithoutName_IsRefusedInOneLine()
    {
        // Found by fuzzing: 'vaecf status' printed a metric without a name (NullReferenceException).
        var file = Write("status.json",
            "{\"JobId\":\"\",\"\":2,\"\":2,\"\":9,\"\":1,\"\":1,\"\":3,\"\":0,\"\":1,\"\":0,\"\":[{\"\":0,\"\":0,\"\":0,\"\":6,\"\":null}],\"Test\":[{\"\":\"\",\"\":0,\"\":1,\"\":0}],\"\":0,\"\":0,\"\":\"\",\"\":{\"\":0},\"\":false}");
        var error = Assert.Throws<InvalidDataException>(() => StatusCommand.ReadStatusFile(file));
        Assert.StartsWith(file + ": not a readable job status", error.Message);
        Assert.Null(new JobStore(new FileJobBlobStore(_folder.Path), "job").LoadStatus());
    }

    [Fact]
    public void StatusFile_HugeRemainingSeconds_IsShownWithoutAnEta()
    {
        // Found by fuzzing: an estimate of 992,233,758,070 s overflowed TimeSpan (OverflowException).
        var file = Write("status.json",
            "{\"JobId\":\"\",\"\":2,\"\":2,\"\":5,\"\":3,\"\":9,\"\":1,\"\":0.1,\"\":0,\"RemainingSeconds\":992233758070,\"\":null,\"\":2,\"\":0,\"\":[{\"\":1,\"\":9,\"\":0,\"\":1,\"\":0}],\"\":\"\",\"\":{\"\":0,\"\":0},\"\":[],\"\":false}");
        var text = StatusCommand.Describe(StatusCommand.ReadStatusFile(file));
        Assert.DoesNotContain("ETA", text);
    }

    private string Write(string name, string json)
    {
        var file = Path.Combine(_folder.Path, "job", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, json);
        return file;
    }

    public void Dispose() => _folder.Dispose();
}
