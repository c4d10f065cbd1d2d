using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// One item shard's part of an item-sharded checkpoint, written and read by the shard itself on its silo (so no
/// process ever holds the whole model's state): its rows, columns and bias, and (where the header says so)
/// their Adam moments and step count. (Epoch 0, the starting weights, has no part: each shard draws its range from the
/// seed, <see cref="LoadStart"/>.) A part belongs to one epoch of one shard of S; the job's checkpoint
/// (<see cref="ItemShardedCheckpoint"/>) names the epoch whose parts are current and the epoch whose parameters are best.
/// </summary>
public static class ItemShardPart
{
    private const string Format = "vaecf-item-shard-part/1";
    private static readonly string[] Names = ["rows", "columns", "bias"];

    /// <summary>The blob name of shard <paramref name="shard"/> of <paramref name="shards"/> at the end of <paramref name="epoch"/> (0: the starting weights).</summary>
    public static string Name(int epoch, int shard, int shards) => $"itemshard-e{epoch}-{shard}of{shards}.vaecf";

    /// <summary>True for the blob names of parts (any epoch or shard).</summary>
    public static bool IsPartName(string name) => name.StartsWith("itemshard-e", StringComparison.Ordinal) && name.EndsWith(".vaecf", StringComparison.Ordinal);

    /// <summary>Writes the shard's parameters, Adam moments and step count atomically.</summary>
    public static void Save(string path, ItemShard shard, int shards, int epoch)
    {
        var parameters = ItemShardVector.Of(shard, ShardVector.Parameters);
        var tensors = new List<(string, Tensor)>();
        for (int i = 0; i < Names.Length; i++)
        {
            tensors.Add(($"param/{Names[i]}", parameters[i]));
            tensors.Add(($"adam.m/{Names[i]}", shard.Optimizer.FirstMoments[i]));
            tensors.Add(($"adam.v/{Names[i]}", shard.Optimizer.SecondMoments[i]));
        }
        var header = new PartHeader(Format, shard.Range.Start, shard.Range.Count, shards, epoch, shard.Optimizer.StepCount, HasMoments: true);
        TensorFile.Write(path, JsonSerializer.SerializeToElement(header), tensors);
    }

    /// <summary>
    /// Sets <paramref name="shard"/> to its range's starting weights, drawn from <paramref name="seed"/> as one process
    /// draws them (<see cref="ItemShardStartingWeights"/>), and with <paramref name="withMoments"/> fresh Adam state: the
    /// start of a job needs no part.
    /// </summary>
    public static void LoadStart(ItemShard shard, AutoencoderConfig config, long seed, bool withMoments = true)
    {
        var drawn = ItemShardStartingWeights.Range(config, seed, shard.Range);
        try
        {
            using var noGrad = torch.no_grad();
            var parameters = ItemShardVector.Of(shard, ShardVector.Parameters);
            for (int i = 0; i < parameters.Length; i++) parameters[i].copy_(drawn[i]);
            if (!withMoments) return;
            foreach (var m in shard.Optimizer.FirstMoments.Concat(shard.Optimizer.SecondMoments)) m.zero_();
            shard.Optimizer.SetStepCount(0);
        }
        finally
        {
            foreach (var t in drawn) t.Dispose();
        }
    }

    /// <summary>
    /// Loads a part into <paramref name="shard"/>: its parameters, and with <paramref name="withMoments"/> its Adam state
    /// (zero moments and step 0 for a starting part). Refuses a part of another range, shard count or epoch.
    /// </summary>
    public static void Load(string path, ItemShard shard, int shards, int epoch, bool withMoments)
    {
        // Without the moments only the parameters are read: a part with Adam state is three times their size.
        var (header, tensors) = ReadChecked(path, shard.Range, shards, epoch, withMoments ? null : n => n.StartsWith("param/", StringComparison.Ordinal));
        try
        {
            using var noGrad = torch.no_grad();
            var parameters = ItemShardVector.Of(shard, ShardVector.Parameters);
            for (int i = 0; i < Names.Length; i++) parameters[i].copy_(Get(path, tensors, $"param/{Names[i]}", parameters[i]));
            if (!withMoments) return;
            if (header.HasMoments)
            {
                var first = Names.Select((n, i) => Get(path, tensors, $"adam.m/{n}", parameters[i])).ToArray();
                var second = Names.Select((n, i) => Get(path, tensors, $"adam.v/{n}", parameters[i])).ToArray();
                shard.Optimizer.Restore(header.StepCount, first, second);
            }
            else
            {
                foreach (var m in shard.Optimizer.FirstMoments.Concat(shard.Optimizer.SecondMoments)) m.zero_();
                shard.Optimizer.SetStepCount(header.StepCount);
            }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Loads into <paramref name="shard"/> the parts of <paramref name="epoch"/> written by <paramref name="partShards"/> shards
    /// of <paramref name="itemCount"/> items (another shard count than the shard's own): every old part whose range overlaps
    /// the shard's is read through <paramref name="readPart"/>(its name, a reader of its file path) and its overlap copied
    /// in: rows, columns and bias, and with <paramref name="withMoments"/> their Adam moments and step count (the same in
    /// every part of an epoch). Only parts that overlap the shard are read, so a shard still never holds the whole model.
    /// </summary>
    public static void LoadRecut(ItemShard shard, int itemCount, int partShards, int epoch, bool withMoments,
        Action<string, Action<string>> readPart)
    {
        var range = shard.Range;
        var parameters = ItemShardVector.Of(shard, ShardVector.Parameters);
        var first = ItemShardVector.Of(shard, ShardVector.FirstMoment);
        var second = ItemShardVector.Of(shard, ShardVector.SecondMoment);
        long? stepCount = null;
        var oldRanges = ItemRange.Split(itemCount, partShards);
        for (int s = 0; s < oldRanges.Length; s++)
        {
            var old = oldRanges[s];
            int from = Math.Max(old.Start, range.Start), to = Math.Min(old.End, range.End);
            if (from >= to) continue;
            readPart(Name(epoch, s, partShards), path =>
            {
                var (header, tensors) = ReadChecked(path, old, partShards, epoch,
                    withMoments ? null : n => n.StartsWith("param/", StringComparison.Ordinal));
                try
                {
                    if (stepCount is { } seen && seen != header.StepCount)
                        throw new CheckpointFormatException(path, $"is at Adam step {header.StepCount}, another part of epoch {epoch} at {seen}.");
                    stepCount = header.StepCount;
                    using var noGrad = torch.no_grad();
                    CopyOverlap(path, tensors, "param", parameters, old, range, from, to);
                    if (!withMoments) return;
                    if (header.HasMoments)
                    {
                        CopyOverlap(path, tensors, "adam.m", first, old, range, from, to);
                        CopyOverlap(path, tensors, "adam.v", second, old, range, from, to);
                    }
                    else
                    {
                        // As Load does for a part without moments: they start from zero.
                        for (int i = 0; i < Names.Length; i++)
                            foreach (var moment in new[] { first[i], second[i] })
                                moment.narrow(i == 1 ? 1 : 0, from - range.Start, to - from).zero_();
                    }
                }
                finally
                {
                    foreach (var t in tensors.Values) t.Dispose();
                }
            });
        }
        if (withMoments) shard.Optimizer.SetStepCount(stepCount ?? throw new InvalidOperationException($"No part of epoch {epoch} overlaps items [{range.Start}, {range.End})."));
    }

    /// <summary>Copies items [from, to) of an old part's rows, columns and bias (prefix <paramref name="kind"/>) into the new shard's tensors.</summary>
    private static void CopyOverlap(string path, Dictionary<string, Tensor> tensors, string kind, Tensor[] targets, ItemRange old, ItemRange range, int from, int to)
    {
        int count = to - from;
        for (int i = 0; i < Names.Length; i++)
        {
            var name = $"{kind}/{Names[i]}";
            if (!tensors.TryGetValue(name, out var source)) throw new CheckpointFormatException(path, $"tensor '{name}' is missing.");
            // Rows and bias hold items along dimension 0, the output columns along dimension 1.
            int itemDim = i == 1 ? 1 : 0;
            var expected = targets[i].shape.ToArray();
            expected[itemDim] = old.Count;
            if (!source.shape.SequenceEqual(expected))
                throw new CheckpointFormatException(path, $"tensor '{name}' has shape [{string.Join(", ", source.shape)}], expected [{string.Join(", ", expected)}].");
            targets[i].narrow(itemDim, from - range.Start, count).copy_(source.narrow(itemDim, from - old.Start, count));
        }
    }

    /// <summary>The parameters of a part (rows [range, H₁], columns [H, range], bias [range]) on the host; the caller disposes them.</summary>
    public static Tensor[] ReadParameters(string path, ItemRange range, int shards, int epoch)
    {
        var (_, tensors) = ReadChecked(path, range, shards, epoch, n => n.StartsWith("param/", StringComparison.Ordinal));
        var kept = new List<Tensor>();
        try
        {
            foreach (var n in Names)
                kept.Add(tensors.Remove($"param/{n}", out var t) ? t : throw new CheckpointFormatException(path, $"tensor 'param/{n}' is missing."));
            if (kept[0].shape[0] != range.Count || kept[1].shape[1] != range.Count || kept[2].shape[0] != range.Count)
                throw new CheckpointFormatException(path, $"its tensors do not hold {range.Count} items.");
            return kept.ToArray();
        }
        catch
        {
            foreach (var t in kept) t.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static (PartHeader Header, Dictionary<string, Tensor> Tensors) ReadChecked(string path, ItemRange range, int shards, int epoch,
        Func<string, bool>? include)
    {
        var (json, tensors) = include is null ? TensorFile.Read(path) : TensorFile.Read(path, include);
        try
        {
            var header = TensorFile.ReadHeaderAs<PartHeader>(path, json);
            if (header.Format != Format) throw new CheckpointFormatException(path, $"is a '{header.Format}' file, not an item shard's checkpoint part.");
            if (header.Start != range.Start || header.Count != range.Count || header.Shards != shards)
                throw new CheckpointFormatException(path, $"holds items [{header.Start}, {header.Start + header.Count}) of {header.Shards} item shards, " +
                                                          $"not items [{range.Start}, {range.Start + range.Count}) of {shards}.");
            if (header.Epoch != epoch) throw new CheckpointFormatException(path, $"is of epoch {header.Epoch}, not {epoch}.");
            if (header.StepCount < 0) throw new CheckpointFormatException(path, $"has a negative step count ({header.StepCount}).");
            return (header, tensors);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    private static Tensor Get(string path, Dictionary<string, Tensor> tensors, string name, Tensor like) => TrainingCheckpoint.Get(path, tensors, name, like);

    private sealed record PartHeader(string Format, int Start, int Count, int Shards, int Epoch, long StepCount, bool HasMoments);
}
