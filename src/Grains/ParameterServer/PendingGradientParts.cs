using VaeCfCluster.Grains.Abstractions.ParameterServer;

namespace VaeCfCluster.Grains.ParameterServer;

/// <summary>
/// The gradient parts other silos pushed to one shard for the step it applies next. Parts are kept for one
/// (generation, step) at a time: a part of another generation or step drops what was held. So parts a failed attempt
/// pushed for a step are never counted with the resumed attempt's parts for the same step number.
/// </summary>
internal sealed class PendingGradientParts
{
    private (int Generation, long Step) _key = (-1, -1);
    private readonly List<GradientChunk> _parts = [];

    /// <summary>Holds <paramref name="chunk"/>, first dropping parts of any other generation or step.</summary>
    public void Add(GradientChunk chunk)
    {
        if ((chunk.Generation, chunk.Step) != _key)
        {
            _parts.Clear();
            _key = (chunk.Generation, chunk.Step);
        }
        _parts.Add(chunk);
    }

    /// <summary>The parts held for (<paramref name="generation"/>, <paramref name="step"/>), in worker and part order; the buffer is empty after.</summary>
    public GradientChunk[] Take(int generation, long step)
    {
        var parts = _key == (generation, step) ? _parts.OrderBy(c => c.Worker).ThenBy(c => c.Index).ToArray() : [];
        Clear();
        return parts;
    }

    /// <summary>Drops every part held.</summary>
    public void Clear()
    {
        _parts.Clear();
        _key = (-1, -1);
    }
}
