using TorchSharp;
using VaeCfCluster.Model.Data;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// The two kernels of WMF by alternating least squares (Hu et al., ICDM 2008, Section 4): the exact
/// least-squares update of one side's factors with the other side fixed, batched over rows, and the objective.
/// </summary>
internal static class WmfAls
{
    /// <summary>
    /// For every row r in [start, start + count) of <paramref name="clicks"/> solves
    /// <c>(FᵀF + (c₁ − 1) F_rᵀF_r + λI) z_r = c₁ F_rᵀ 1</c>, the minimiser of
    /// <c>Σ_j c_rj (p_rj − z_rᵀ f_j)² + λ‖z_r‖²</c> where F = <paramref name="fixedFactors"/> [J, K], F_r its rows
    /// at the clicked columns of r, c_rj = c₁ on clicks and 1 elsewhere (Hu et al.'s YᵀC_uY = YᵀY + Yᵀ(C_u − I)Y).
    /// Rows are sorted by click count and batched so that padding stays small; each batch gathers its padded
    /// click rows [b, maxn, K] (padding points at an all-zero row), forms the b systems with one bmm and solves
    /// them with one batched <c>torch.linalg.solve</c>. Returns float32 [count, K]; a row without clicks gets 0.
    /// </summary>
    internal static Tensor SolveFactors(ClickMatrix clicks, int start, int count, Tensor fixedFactors,
        double positiveWeight, double lambda)
    {
        long k = fixedFactors.shape[1];
        int padRow = clicks.ColumnCount;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var padded = cat(new[] { fixedFactors, zeros(1, k, dtype: fixedFactors.dtype) }, 0);
        var gram = fixedFactors.t().mm(fixedFactors);
        gram.diagonal().ShiftInPlace(lambda);
        var result = zeros(count, k, dtype: fixedFactors.dtype);

        var order = new int[count];
        var lengths = new int[count];
        for (int r = 0; r < count; r++) { order[r] = start + r; lengths[r] = clicks.RowLength(start + r); }
        Array.Sort(lengths, order);

        long perRowSystem = k * k;
        int first = 0;
        while (first < count)
        {
            int end = first + 1;
            while (end < count)
            {
                long rows = end + 1 - first;
                if (rows * Math.Max(1, lengths[end]) * k > BaselineTensors.BlockElements
                    || rows * perRowSystem > BaselineTensors.BlockElements) break;
                end++;
            }
            int batch = end - first, maxLength = Math.Max(1, lengths[end - 1]);
            var gatherIndex = new long[(long)batch * maxLength];
            Array.Fill(gatherIndex, padRow);
            var target = new long[batch];
            for (int b = 0; b < batch; b++)
            {
                int row = order[first + b];
                target[b] = row - start;
                var cols = clicks.Row(row);
                for (int j = 0; j < cols.Length; j++) gatherIndex[(long)b * maxLength + j] = cols[j];
            }
            using (var inner = NewDisposeScope())
            {
                var f = padded.index_select(0, tensor(gatherIndex)).view(batch, maxLength, k);
                var systems = f.transpose(1, 2).bmm(f).TimesInPlace(positiveWeight - 1).AddInPlace(gram);
                var rhs = f.sum(1).TimesInPlace(positiveWeight).unsqueeze(-1);
                var solved = linalg.solve(systems, rhs).squeeze(-1);
                result.index_copy_(0, tensor(target), solved);
            }
            first = end;
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The WMF objective <c>Σ_u Σ_i c_ui (p_ui − x_uᵀy_i)² + λ(Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)</c>, computed without the
    /// dense score matrix: <c>Σ_u x_uᵀ(YᵀY)x_u + Σ_(u,i) clicked [c₁(1 − s_ui)² − s_ui²]</c> plus the penalty.
    /// </summary>
    internal static double Objective(ClickMatrix clicks, Tensor userFactors, Tensor itemFactors,
        double positiveWeight, double lambda)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = userFactors.to(ScalarType.Float64);
        var y = itemFactors.to(ScalarType.Float64);
        double allSquares = x.mm(y.t().mm(y)).mul(x).sum().item<double>();
        var users = new long[clicks.NonZeroCount];
        var items = new long[clicks.NonZeroCount];
        var offsets = clicks.RowOffsets;
        var columns = clicks.Columns;
        for (int u = 0; u < clicks.RowCount; u++)
            for (int p = offsets[u]; p < offsets[u + 1]; p++) { users[p] = u; items[p] = columns[p]; }
        double onClicks = 0;
        int chunk = (int)Math.Max(1, BaselineTensors.BlockElements / 4 / Math.Max(1, x.shape[1]));
        for (int from = 0; from < users.Length; from += chunk)
        {
            using var inner = NewDisposeScope();
            int take = Math.Min(chunk, users.Length - from);
            var s = x.index_select(0, tensor(users.AsSpan(from, take).ToArray()))
                .mul(y.index_select(0, tensor(items.AsSpan(from, take).ToArray()))).sum(1);
            onClicks += s.neg().Shifted(1).Squared().Times(positiveWeight).Minus(s.Squared()).sum().item<double>();
        }
        double penalty = lambda * (x.Squared().sum().item<double>() + y.Squared().sum().item<double>());
        return allSquares + onClicks + penalty;
    }
}
