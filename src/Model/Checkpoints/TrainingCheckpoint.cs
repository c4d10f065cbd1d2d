using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// A resumable training checkpoint in one self-checking file (<see cref="TensorFile"/>): the model config, the
/// trainer settings that determine the run (seed, batch size, Adam, β), the item index, the SHA-256 of the data it was
/// trained on (the serialized split, as a cluster job's spec records it), the training state, the current weights,
/// Adam's moments and the best weights so far.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Format = "vaecf-training-checkpoint/1";

    /// <summary>Settings as text for comparing and naming them; a corrupted header's infinity must print, not throw.</summary>
    internal static readonly JsonSerializerOptions SettingsJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes the checkpoint atomically.</summary>
    public static void Save(string path, AutoencoderNetwork network, AdamOptimizer optimizer, TrainerOptions options,
        IReadOnlyList<string> itemIds, TrainingState state, IReadOnlyList<Tensor> bestParameters, string? dataSha256 = null)
    {
        var header = new CheckpointHeader(Format, network.Config, RunIdentity.From(options), itemIds.ToArray(), state, dataSha256);
        var tensors = new List<(string, Tensor)>();
        var parameters = network.OrderedParameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            var name = parameters[i].Name;
            tensors.Add(($"param/{name}", parameters[i].Tensor));
            tensors.Add(($"adam.m/{name}", optimizer.FirstMoments[i]));
            tensors.Add(($"adam.v/{name}", optimizer.SecondMoments[i]));
            tensors.Add(($"best/{name}", bestParameters[i]));
        }
        TensorFile.Write(path, JsonSerializer.SerializeToElement(header), tensors);
    }

    /// <summary>
    /// Loads a checkpoint into an existing network, optimizer and best-weights buffers, after checking that it was
    /// written by a run with the same model, item index, run-defining settings and (when both sides know it) data
    /// SHA-256; returns its state.
    /// </summary>
    public static TrainingState Restore(string path, AutoencoderNetwork network, AdamOptimizer optimizer,
        TrainerOptions options, IReadOnlyList<string> itemIds, IReadOnlyList<Tensor> bestParameters, string? dataSha256 = null)
    {
        var (headerElement, tensors) = TensorFile.Read(path);
        try
        {
            var header = TensorFile.ReadHeaderAs<CheckpointHeader>(path, headerElement);
            if (header.Format != Format)
                throw new CheckpointFormatException(path, $"is a '{header.Format}' file, not a training checkpoint.");
            if (header.ItemIds is null || header.State?.History is null)
                throw new CheckpointFormatException(path, "the header lacks the item index or the training state.");
            // Other data first: it explains any difference in item index or settings that follows from it.
            Require(path, header.DataSha256 is null || dataSha256 is null || header.DataSha256 == dataSha256,
                $"it was trained on other data (data SHA-256 {Short(header.DataSha256)} in the checkpoint, {Short(dataSha256)} now); " +
                "train on the data it was trained on, or start over (vaecf train --fresh).");
            Require(path, JsonSerializer.Serialize(header.Config, SettingsJson) == JsonSerializer.Serialize(network.Config, SettingsJson),
                $"model settings differ (checkpoint: {JsonSerializer.Serialize(header.Config, SettingsJson)}).");
            Require(path, header.Run == RunIdentity.From(options),
                $"run settings differ (checkpoint: {header.Run}; now: {RunIdentity.From(options)}).");
            Require(path, header.ItemIds.SequenceEqual(itemIds), "item index differs (" + ItemIndexDifference(header.ItemIds, itemIds) + ").");
            var parameters = network.OrderedParameters;
            var first = new Tensor[parameters.Count];
            var second = new Tensor[parameters.Count];
            using var noGrad = torch.no_grad();
            for (int i = 0; i < parameters.Count; i++)
            {
                var (name, tensor) = parameters[i];
                tensor.copy_(Get(path, tensors, $"param/{name}", tensor));
                first[i] = Get(path, tensors, $"adam.m/{name}", tensor);
                second[i] = Get(path, tensors, $"adam.v/{name}", tensor);
                bestParameters[i].copy_(Get(path, tensors, $"best/{name}", tensor));
            }
            optimizer.Restore(header.State.Step, first, second);
            return header.State;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    internal static Tensor Get(string path, Dictionary<string, Tensor> tensors, string name, Tensor like)
    {
        if (!tensors.TryGetValue(name, out var t)) throw new CheckpointFormatException(path, $"tensor '{name}' is missing.");
        if (!t.shape.SequenceEqual(like.shape))
            throw new CheckpointFormatException(path, $"tensor '{name}' has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", like.shape)}].");
        return t;
    }

    internal static void Require(string path, bool condition, string problem)
    {
        if (!condition) throw new CheckpointFormatException(path, "does not match this run: " + problem);
    }

    /// <summary>How two item indexes differ: their sizes and the first column whose item differs.</summary>
    internal static string ItemIndexDifference(IReadOnlyList<string> stored, IReadOnlyList<string> now)
    {
        int column = 0;
        while (column < stored.Count && column < now.Count && stored[column] == now[column]) column++;
        string first = column < stored.Count && column < now.Count
            ? $"; column {column} is '{stored[column]}' in the checkpoint, '{now[column]}' in the data"
            : "";
        return $"{stored.Count} items in the checkpoint, {now.Count} in the data{first}";
    }

    internal static string Short(string? sha256) => sha256 is { Length: > 12 } ? sha256[..12] + "…" : sha256 ?? "unknown";

    /// <summary>The header; <see cref="DataSha256"/> is null in checkpoints written before it was recorded.</summary>
    private sealed record CheckpointHeader(string Format, AutoencoderConfig Config, RunIdentity Run, string[] ItemIds, TrainingState State,
        string? DataSha256 = null);

    /// <summary>The settings that make two runs the same run.</summary>
    internal sealed record RunIdentity(long Seed, int BatchSize, AdamOptions Adam, BetaScheduleOptions Beta)
    {
        public static RunIdentity From(TrainerOptions o) => new(o.Seed, o.BatchSize, o.Adam, o.Beta);
    }
}
