using TorchSharp;
using VaeCfCluster.Model.Data;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// A <see cref="ClickMatrix"/> uploaded to a device once (as int64 CSR), so batches are gathered there
/// (<see cref="DeviceBatchAssembler"/>) instead of being built on the host and copied every step. Keeps the host
/// matrix for what the host must know without asking the device (row lengths, to size the gathered batch).
/// </summary>
public sealed class DeviceClickMatrix : IDisposable
{
    /// <summary>Uploads <paramref name="clicks"/> to <paramref name="device"/>.</summary>
    public DeviceClickMatrix(ClickMatrix clicks, Device device)
    {
        Host = clicks;
        Device = device;
        using var scope = torch.NewDisposeScope();
        var offsets = torch.tensor(clicks.RowOffsets.ToArray()).to(ScalarType.Int64);
        RowStarts = offsets.narrow(0, 0, clicks.RowCount).to(device).DetachFromDisposeScope();
        RowLengths = offsets.narrow(0, 1, clicks.RowCount).sub(offsets.narrow(0, 0, clicks.RowCount)).to(device).DetachFromDisposeScope();
        Columns = torch.tensor(clicks.Columns.ToArray()).to(ScalarType.Int64).to(device).DetachFromDisposeScope();
    }

    /// <summary>The matrix on the host.</summary>
    public ClickMatrix Host { get; }

    /// <summary>Where the copy lives.</summary>
    public Device Device { get; }

    /// <summary>int64 [rows]: where each row starts in <see cref="Columns"/>.</summary>
    public Tensor RowStarts { get; }

    /// <summary>int64 [rows]: each row's number of clicks.</summary>
    public Tensor RowLengths { get; }

    /// <summary>int64 [clicks]: the clicked columns, row by row.</summary>
    public Tensor Columns { get; }

    /// <summary>Frees the device copy.</summary>
    public void Dispose()
    {
        RowStarts.Dispose();
        RowLengths.Dispose();
        Columns.Dispose();
    }
}
